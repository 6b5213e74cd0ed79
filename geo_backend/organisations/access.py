"""Who may see and change what: the one place the rules live. API views, pages, the dashboard and its exports all
ask this module (directly, or through the apps' selectors); none of them holds a rule of its own.

Roles: visitor (not signed in), organisation editor, network coordinator, platform administrator (superuser or
the "administrateurs" group), donor (the "bailleurs" group: read-only, sees restricted analytics).

The rules, in words (DOMAIN.md, "Do no harm"):
- A network grants coordinator powers only once an administrator has activated it. Anyone signed in may register a
  network; until it is active its registrant edits its own record and nothing else.
- Restricted records are read by the owning organisation's editors, the coordinators of the active networks it is
  an accepted member of, and administrators. The exact shape of a coarse zone is shown to the same people.
  Donors and coordinators read analytics computed over every record (aggregates), not the records themselves.
- Nobody approves their own work: a person never validates a declaration of an organisation she edits, nor one
  that a network she edits or coordinates declared on a member's behalf. This holds for administrators too.
- Joining a network takes the consent of both sides, given by different people: the network's side is given by
  its coordinator (or an administrator) who is not an editor of the joining organisation; the organisation's side
  by its editor (or an administrator).
"""
from dataclasses import dataclass

from django.db.models import Q

from geo_backend.common.errors import DomainError

ADMIN_GROUP = "administrateurs"
DONOR_GROUP = "bailleurs"


@dataclass(frozen=True)
class Audience:
    """What one person is, computed once per request."""

    user_id: int | None = None
    is_admin: bool = False
    is_donor: bool = False
    editor_of: frozenset = frozenset()  # organisations whose records this person edits
    coordinator_of: frozenset = frozenset()  # active networks this person coordinates
    coordinated_members: frozenset = frozenset()  # accepted members of those networks

    @property
    def is_visitor(self) -> bool:
        return self.user_id is None

    @property
    def restricted_readable(self) -> frozenset:
        """Organisations whose restricted records (and exact coarse zones) this person reads, administrators aside:
        her own, and the accepted members of the active networks she coordinates."""
        return self.editor_of | self.coordinated_members

    @property
    def sees_every_restricted_record(self) -> bool:
        """Every organisation's restricted records: administrators only."""
        return self.is_admin

    @property
    def sees_restricted_analytics(self) -> bool:
        """Analytics computed over every record: coordinators of an active network, administrators and donors."""
        return self.is_admin or self.is_donor or bool(self.coordinator_of)

    @property
    def reviews_declarations(self) -> bool:
        """Whether this person has a validation queue: coordinators of an active network and administrators."""
        return self.is_admin or bool(self.coordinator_of)


VISITOR = Audience()


def audience_for(user) -> Audience:
    """The Audience of a Django user (cached on the user object for the request)."""
    if user is None or not user.is_authenticated:
        return VISITOR
    cached = getattr(user, "_musoya_audience", None)
    if cached is not None:
        return cached
    from .models import Membership, Organisation, OrganisationRole

    roles = list(OrganisationRole.objects.filter(user=user)
                 .values_list("organisation_id", "role", "organisation__status"))
    editor_of = frozenset(org for org, _role, _status in roles)  # a coordinator also edits the network's records
    # A pending (or archived) network grants nothing: coordinator powers start when an administrator activates it.
    coordinator_of = frozenset(org for org, role, status in roles
                               if role == OrganisationRole.Role.COORDINATOR and status == Organisation.Status.ACTIVE)
    members = frozenset(
        Membership.objects.filter(network_id__in=coordinator_of, status=Membership.Status.ACCEPTED)
        .values_list("member_id", flat=True)
    ) if coordinator_of else frozenset()
    group_names = set(user.groups.values_list("name", flat=True))
    audience = Audience(
        user_id=user.pk,
        is_admin=user.is_superuser or ADMIN_GROUP in group_names,
        is_donor=DONOR_GROUP in group_names,
        editor_of=editor_of,
        coordinator_of=coordinator_of,
        coordinated_members=members,
    )
    user._musoya_audience = audience
    return audience


def forbidden(message_fr: str, message_en: str) -> DomainError:
    return DomainError("forbidden", message_fr, message_en, status_code=403)


def require_signed_in(audience: Audience) -> None:
    if audience.is_visitor:
        raise DomainError("not_authenticated", "Connexion requise.", "You must sign in.", status_code=401)


# --- Organisations and memberships --------------------------------------------------------------------------


def can_edit_organisation(audience: Audience, organisation_id: int) -> bool:
    """Editors change only their own organisation's records; administrators change any."""
    return audience.is_admin or organisation_id in audience.editor_of


def editable_organisations_q(audience: Audience, prefix: str = "") -> Q:
    """The organisations this person may change (and declare interventions for), as a Q on Organisation."""
    if audience.is_admin:
        return Q()
    return Q(**{f"{prefix}id__in": audience.editor_of})


def require_organisation_editor(audience: Audience, organisation_id: int) -> None:
    require_signed_in(audience)
    if not can_edit_organisation(audience, organisation_id):
        raise forbidden("Vous ne pouvez modifier que les données de votre organisation.",
                        "You can only change your own organisation's records.")


def require_admin(audience: Audience) -> None:
    require_signed_in(audience)
    if not audience.is_admin:
        raise forbidden("Réservé aux administrateurs de la plateforme.", "Platform administrators only.")


def consents_for_network(audience: Audience, *, network_id: int, member_id: int) -> bool:
    """Whether this person gives the network's consent to a membership: its coordinator (of the active network) or
    an administrator, provided she does not also speak for the joining organisation."""
    return (audience.is_admin or network_id in audience.coordinator_of) and member_id not in audience.editor_of


def consents_for_member(audience: Audience, *, member_id: int) -> bool:
    """Whether this person gives the joining organisation's consent: its editor or an administrator."""
    return audience.is_admin or member_id in audience.editor_of


def can_end_membership(audience: Audience, *, network_id: int, member_id: int) -> bool:
    """Either side may end an accepted membership: the network's coordinator, the member's editor, an admin."""
    return audience.is_admin or network_id in audience.coordinator_of or member_id in audience.editor_of


# --- Interventions: who changes, who validates ------------------------------------------------------------------


def can_edit_intervention(audience: Audience, *, organisation_id: int, declared_by_network_id: int | None) -> bool:
    """The organisation's editors, and the coordinator of the network that declared it on the member's behalf
    (while the organisation is still its accepted member)."""
    return audience.is_admin or organisation_id in audience.editor_of or (
        declared_by_network_id is not None and declared_by_network_id in audience.coordinator_of
        and organisation_id in audience.coordinated_members
    )


def own_interventions_q(audience: Audience, prefix: str = "") -> Q:
    """The declarations this person works on as a member of organisations (administrators' powers aside): her
    organisations' own, and those her networks declared for their members. The Q form of can_edit_intervention."""
    p = prefix
    return Q(**{f"{p}organisation_id__in": audience.editor_of}) | Q(
        **{f"{p}declared_by_network_id__in": audience.coordinator_of,
           f"{p}organisation_id__in": audience.coordinated_members})


def editable_interventions_q(audience: Audience, prefix: str = "") -> Q:
    """The declarations this person may change, as a Q on Intervention (or via prefix)."""
    if audience.is_admin:
        return Q()
    if audience.is_visitor:
        return Q(pk__in=[])
    return own_interventions_q(audience, prefix)


def require_intervention_editor(audience: Audience, *, organisation_id: int,
                                declared_by_network_id: int | None) -> None:
    require_signed_in(audience)
    if not can_edit_intervention(audience, organisation_id=organisation_id,
                                 declared_by_network_id=declared_by_network_id):
        raise forbidden("Vous ne pouvez modifier que les déclarations de votre organisation (ou celles que votre "
                        "réseau a faites pour un membre).",
                        "You can only change your own organisation's declarations (or those your network made for "
                        "a member).")


def _authored_by(audience: Audience, *, organisation_id: int, declared_by_network_id: int | None) -> bool:
    """The declaration is this person's own work: her organisation's, or declared by a network she edits."""
    return organisation_id in audience.editor_of or (
        declared_by_network_id is not None and declared_by_network_id in audience.editor_of)


def can_validate(audience: Audience, *, organisation_id: int, declared_by_network_id: int | None) -> bool:
    """A network's coordinator validates its members' declarations; an administrator any. Nobody validates her
    own work (see the module's rules): not her organisation's declarations, nor her network's."""
    if _authored_by(audience, organisation_id=organisation_id, declared_by_network_id=declared_by_network_id):
        return False
    return audience.is_admin or organisation_id in audience.coordinated_members


def validatable_interventions_q(audience: Audience, prefix: str = "") -> Q:
    """The declarations this person may validate or reject (whatever their state), as a Q: the twin of
    can_validate."""
    p = prefix
    if audience.is_visitor:
        return Q(pk__in=[])
    own_work = Q(**{f"{p}organisation_id__in": audience.editor_of}) | Q(
        **{f"{p}declared_by_network_id__in": audience.editor_of})
    reviewed = Q() if audience.is_admin else Q(**{f"{p}organisation_id__in": audience.coordinated_members})
    return reviewed & ~own_work


def require_validator(audience: Audience, *, organisation_id: int, declared_by_network_id: int | None) -> None:
    require_signed_in(audience)
    if not can_validate(audience, organisation_id=organisation_id, declared_by_network_id=declared_by_network_id):
        raise forbidden("Seule la coordination d'un réseau dont l'organisation est membre peut valider, et jamais "
                        "sa propre déclaration.",
                        "Only the coordinator of a network the organisation belongs to can validate, and never "
                        "their own declaration.")


# --- Interventions: who sees what ----------------------------------------------------------------------------


def visible_interventions_q(audience: Audience, prefix: str = "", *, for_analytics: bool = False) -> Q:
    """The interventions this audience may see at all, as a Q on the Intervention model (or via prefix).

    for_analytics: donors and coordinators read coverage figures computed over restricted interventions too,
    without seeing those records themselves.
    """
    p = prefix
    if audience.is_admin:
        # Coverage figures describe active organisations only, whoever reads them.
        return Q(**{f"{p}organisation__status": "active"}) if for_analytics else Q()
    counted_whole = for_analytics and audience.sees_restricted_analytics
    sensitivities = ["public", "coarse", "restricted"] if counted_whole else ["public", "coarse"]
    published = Q(**{f"{p}validation_state": "validated", f"{p}sensitivity__in": sensitivities,
                     f"{p}organisation__status": "active"})
    if audience.is_visitor:
        return published
    # Everything else is per organisation: her own records, whatever their state, and what her active networks'
    # members submitted (restricted ones included). Those are also the only restricted records she reads.
    to_review = Q(**{f"{p}organisation_id__in": audience.coordinated_members,
                     f"{p}validation_state__in": ["submitted", "validated", "rejected"]})
    return published | to_review | own_interventions_q(audience, prefix)


def precise_geometry_q(audience: Audience, prefix: str = "", *, for_analytics: bool = False) -> Q:
    """Interventions whose zones this audience sees exactly, as a Q (the twin of precise_geometry_sql)."""
    p = prefix
    if audience.is_admin or (for_analytics and audience.sees_restricted_analytics):
        return Q(**{f"{p}pk__isnull": False})
    if audience.is_visitor:
        return Q(**{f"{p}sensitivity": "public"})
    return Q(**{f"{p}sensitivity": "public"}) | Q(**{f"{p}organisation_id__in": audience.restricted_readable})


def precise_geometry_sql(audience: Audience, intervention_alias: str = "i", *,
                         for_analytics: bool = False) -> tuple[str, list]:
    """SQL condition (and params) true when this audience sees a zone's exact geometry.

    Coarse zones are shown exactly only to the owner's editors, the coordinators of its active networks and
    administrators; to anyone else as whole communes. Restricted ones are not shown to others at all
    (visible_interventions_q removes them). for_analytics: the coverage figures of donors and coordinators are
    computed over the exact zones (they read the figures, never the zones).
    """
    if audience.is_admin or (for_analytics and audience.sees_restricted_analytics):
        return "TRUE", []
    if audience.is_visitor:
        return f"{intervention_alias}.sensitivity = 'public'", []
    return (f"({intervention_alias}.sensitivity = 'public' OR {intervention_alias}.organisation_id = ANY(%s))",
            [list(audience.restricted_readable)])


def visible_contact_levels(audience: Audience, organisation_id: int) -> list[str]:
    """Contact visibilities this audience may read for an organisation."""
    if audience.is_admin or organisation_id in audience.editor_of:
        return ["public", "members", "private"]
    if audience.is_visitor:
        return ["public"]
    return ["public", "members"]


# =================================================================================================================
# Collaboration: partnerships, trainings, mentoring, capacity assessments, notifications, editor invitations.
# Kept together at the end of the file, apart from the rules above. They read the Audience fields with their
# meaning unchanged: editor_of, coordinator_of, coordinated_members, is_admin, is_donor, is_visitor.
# =================================================================================================================

# Needs aggregates shown to anyone who may not see individual scores cover at least this many organisations, so
# that no organisation can be singled out (a mean over one or two organisations reveals their scores).
NEEDS_MIN_ORGANISATIONS = 3


def _refuse_unless(allowed: bool, audience: Audience, message_fr: str, message_en: str) -> None:
    require_signed_in(audience)
    if not allowed:
        raise forbidden(message_fr, message_en)


# --- Partnerships ------------------------------------------------------------------------------------------------

def can_propose_partnership(audience: Audience, *, proposer_id: int) -> bool:
    """An organisation's editors propose partnerships in its name (administrators in any organisation's name)."""
    return not audience.is_visitor and (audience.is_admin or proposer_id in audience.editor_of)


def partnership_proposers_among(audience: Audience, organisation_ids: list[int]) -> list[int]:
    """Of these organisations, those this person edits and may propose a partnership for, in the same order (the
    dashboard prefills a proposal for them; an administrator who edits neither gets none)."""
    return [pk for pk in organisation_ids
            if can_propose_partnership(audience, proposer_id=pk) and pk in audience.editor_of]


def require_partnership_proposer(audience: Audience, *, proposer_id: int) -> None:
    _refuse_unless(can_propose_partnership(audience, proposer_id=proposer_id), audience,
                   "Vous ne pouvez proposer un partenariat qu'au nom de votre organisation.",
                   "You can only propose a partnership in your own organisation's name.")


def can_answer_partnership(audience: Audience, *, partner_id: int, proposed_by_id: int | None) -> bool:
    """The partner organisation's editors (or an administrator) accept or decline; never the person who proposed,
    even when she also edits the partner organisation: nobody accepts their own proposal."""
    if audience.is_visitor or audience.user_id == proposed_by_id:
        return False
    return audience.is_admin or partner_id in audience.editor_of


def require_partnership_answerer(audience: Audience, *, partner_id: int, proposed_by_id: int | None) -> None:
    require_signed_in(audience)
    if audience.user_id == proposed_by_id:
        raise forbidden("Vous ne pouvez pas répondre à votre propre proposition : une autre personne de "
                        "l'organisation partenaire doit le faire.",
                        "You cannot answer your own proposal: another person of the partner organisation must.")
    _refuse_unless(can_answer_partnership(audience, partner_id=partner_id, proposed_by_id=proposed_by_id), audience,
                   "Seule l'organisation à qui le partenariat est proposé peut y répondre.",
                   "Only the organisation the partnership is proposed to can answer it.")


def can_withdraw_partnership(audience: Audience, *, proposer_id: int) -> bool:
    return not audience.is_visitor and (audience.is_admin or proposer_id in audience.editor_of)


def require_partnership_withdrawer(audience: Audience, *, proposer_id: int) -> None:
    _refuse_unless(can_withdraw_partnership(audience, proposer_id=proposer_id), audience,
                   "Seule l'organisation qui a proposé peut retirer sa proposition.",
                   "Only the proposing organisation can withdraw its proposal.")


def can_end_partnership(audience: Audience, *, proposer_id: int, partner_id: int) -> bool:
    return not audience.is_visitor and (audience.is_admin or proposer_id in audience.editor_of
                                        or partner_id in audience.editor_of)


def require_partnership_party(audience: Audience, *, proposer_id: int, partner_id: int) -> None:
    _refuse_unless(can_end_partnership(audience, proposer_id=proposer_id, partner_id=partner_id), audience,
                   "Seules les deux organisations du partenariat peuvent y mettre fin.",
                   "Only the two organisations of the partnership can end it.")


def visible_partnerships_q(audience: Audience, prefix: str = "") -> Q:
    """Accepted partnerships between active organisations are public (profiles, map). Proposals, refusals, ended
    partnerships and the messages exchanged are read by the two organisations' editors and administrators."""
    p = prefix
    public = Q(**{f"{p}status": "accepted", f"{p}proposer__status": "active", f"{p}partner__status": "active"})
    if audience.is_admin:
        return Q()
    if audience.is_visitor:
        return public
    return public | partnership_parties_q(audience, prefix)


def partnership_parties_q(audience: Audience, prefix: str = "") -> Q:
    """The partnerships in which this person speaks for one side (messages and history are theirs to read)."""
    if audience.is_admin:
        return Q()
    return Q(**{f"{prefix}proposer_id__in": audience.editor_of}) | Q(**{f"{prefix}partner_id__in": audience.editor_of})


# --- Trainings ---------------------------------------------------------------------------------------------------

def can_manage_training(audience: Audience, *, trainer_organisation_id: int, network_id: int | None) -> bool:
    """The trainer organisation's editors and the coordinators of the network it is offered in: they create and
    change the offer, link it to the needs it answers, and record attendance."""
    return not audience.is_visitor and (
        audience.is_admin or trainer_organisation_id in audience.editor_of
        or (network_id is not None and network_id in audience.coordinator_of))


def require_training_manager(audience: Audience, *, trainer_organisation_id: int, network_id: int | None) -> None:
    _refuse_unless(can_manage_training(audience, trainer_organisation_id=trainer_organisation_id,
                                       network_id=network_id), audience,
                   "Seules l'organisation formatrice et la coordination du réseau gèrent cette formation.",
                   "Only the trainer organisation and the network's coordinators manage this training.")


def can_register_for_training(audience: Audience, *, organisation_id: int) -> bool:
    """An organisation's editors register its people; a coordinator may register the network's members."""
    return not audience.is_visitor and (audience.is_admin or organisation_id in audience.editor_of
                                        or organisation_id in audience.coordinated_members)


def require_training_registrant(audience: Audience, *, organisation_id: int) -> None:
    _refuse_unless(can_register_for_training(audience, organisation_id=organisation_id), audience,
                   "Vous ne pouvez inscrire que des personnes de votre organisation (ou des membres de votre réseau).",
                   "You can only register people of your organisation (or members of your network).")


def visible_training_registrations_q(audience: Audience, prefix: str = "") -> Q:
    """Registrations (counts of people, never names): the registering organisation, the trainer organisation, the
    network's coordinators, the coordinators of the registering member, and administrators."""
    p = prefix
    if audience.is_admin:
        return Q()
    if audience.is_visitor:
        return Q(pk__in=[])
    return (Q(**{f"{p}organisation_id__in": audience.editor_of | audience.coordinated_members})
            | Q(**{f"{p}training__trainer_organisation_id__in": audience.editor_of})
            | Q(**{f"{p}training__network_id__in": audience.coordinator_of}))


# --- Mentoring ---------------------------------------------------------------------------------------------------

def can_record_mentoring(audience: Audience, *, network_id: int) -> bool:
    """A network's coordinators record its mentoring pairs and their follow-up. Not administrators: the names are
    read only by the coordinators and the pair (do no harm)."""
    return not audience.is_visitor and network_id in audience.coordinator_of


def require_mentoring_recorder(audience: Audience, *, network_id: int) -> None:
    _refuse_unless(can_record_mentoring(audience, network_id=network_id), audience,
                   "Seule la coordination du réseau enregistre ses binômes de mentorat.",
                   "Only the network's coordinators record its mentoring pairs.")


def mentoring_pairs_named_q(audience: Audience, prefix: str = "") -> Q:
    """The mentoring pairs whose names this person reads: her networks' pairs (coordinators) and her own pair."""
    if audience.is_visitor:
        return Q(pk__in=[])
    p = prefix
    return (Q(**{f"{p}network_id__in": audience.coordinator_of}) | Q(**{f"{p}mentor_user_id": audience.user_id})
            | Q(**{f"{p}mentee_user_id": audience.user_id}))


# --- Capacity self-assessment ------------------------------------------------------------------------------------

def can_score_assessment(audience: Audience, *, organisation_id: int) -> bool:
    """An organisation's editors fill its self-assessment; nobody else (administrators neither: the scores are
    private to the organisation and its networks' coordinators)."""
    return not audience.is_visitor and organisation_id in audience.editor_of


def require_assessment_scorer(audience: Audience, *, organisation_id: int) -> None:
    _refuse_unless(can_score_assessment(audience, organisation_id=organisation_id), audience,
                   "Seule l'organisation remplit sa propre auto-évaluation.",
                   "Only the organisation fills its own self-assessment.")


def assessment_scores_visible_q(audience: Audience, prefix: str = "") -> Q:
    """The self-assessments whose individual scores this person reads: her organisations' and those of the
    members of the networks she coordinates."""
    if audience.is_visitor:
        return Q(pk__in=[])
    return Q(**{f"{prefix}organisation_id__in": audience.editor_of | audience.coordinated_members})


def can_see_network_member_scores(audience: Audience, *, network_id: int) -> bool:
    return not audience.is_visitor and network_id in audience.coordinator_of


def require_network_needs_reader(audience: Audience, *, network_id: int) -> None:
    _refuse_unless(can_see_network_member_scores(audience, network_id=network_id), audience,
                   "Seule la coordination du réseau voit les besoins de chaque membre.",
                   "Only the network's coordinators see each member's needs.")


def require_questionnaire_editor(audience: Audience) -> None:
    require_admin(audience)


# --- Editor invitations ------------------------------------------------------------------------------------------

def can_invite_editor(audience: Audience, *, organisation_id: int) -> bool:
    """Administrators, and the coordinators of a network the organisation belongs to (or of the network itself),
    invite a person by e-mail to become an editor."""
    return not audience.is_visitor and (audience.is_admin or organisation_id in audience.coordinated_members
                                        or organisation_id in audience.coordinator_of)


def require_editor_inviter(audience: Audience, *, organisation_id: int) -> None:
    _refuse_unless(can_invite_editor(audience, organisation_id=organisation_id), audience,
                   "Seules l'administration et la coordination d'un réseau de l'organisation peuvent inviter.",
                   "Only administrators and the coordinators of one of the organisation's networks can invite.")


# --- Notifications: who is told (only people who may see what they are told about) -----------------------------

def organisation_editor_ids(organisation_ids) -> list[int]:
    """The people who edit these organisations."""
    from .models import OrganisationRole

    return sorted(set(OrganisationRole.objects.filter(organisation_id__in=list(organisation_ids),
                                                      role=OrganisationRole.Role.EDITOR)
                      .values_list("user_id", flat=True)))


def network_coordinator_ids(network_ids) -> list[int]:
    """The coordinators of these networks, when active (only active networks grant coordinator rights)."""
    from .models import OrganisationRole

    return sorted(set(OrganisationRole.objects.filter(organisation_id__in=list(network_ids),
                                                      organisation__status="active",
                                                      role=OrganisationRole.Role.COORDINATOR)
                      .values_list("user_id", flat=True)))


def declaration_reviewer_ids(*, organisation_id: int, declared_by_network_id: int | None) -> list[int]:
    """Who validates an organisation's declarations: the coordinators of the active networks it is an accepted
    member of, and of the network that declared it on its behalf."""
    from .models import Membership

    networks = set(Membership.objects.filter(member_id=organisation_id, status=Membership.Status.ACCEPTED)
                   .values_list("network_id", flat=True))
    if declared_by_network_id is not None:
        networks.add(declared_by_network_id)
    return network_coordinator_ids(networks)


def visible_trainings_q(audience: Audience, prefix: str = "") -> Q:
    """Trainings are public once their trainer organisation is active; before that, only its managers see them."""
    p = prefix
    if audience.is_admin:
        return Q()
    public = Q(**{f"{p}trainer_organisation__status": "active"})
    if audience.is_visitor:
        return public
    return (public | Q(**{f"{p}trainer_organisation_id__in": audience.editor_of})
            | Q(**{f"{p}network_id__in": audience.coordinator_of}))


def organisations_spoken_for_q(audience: Audience, prefix: str = "") -> Q:
    """The organisations in whose name this person proposes partnerships or offers trainings: those she edits
    (any active one for an administrator), as a Q on Organisation."""
    if audience.is_admin:
        return Q(**{f"{prefix}status": "active"})
    return Q(**{f"{prefix}id__in": audience.editor_of})


def training_registrable_organisations_q(audience: Audience, prefix: str = "") -> Q:
    """The organisations whose people this person may register for a training (can_register_for_training)."""
    if audience.is_admin:
        return Q()
    if audience.is_visitor:
        return Q(pk__in=[])
    return Q(**{f"{prefix}id__in": audience.editor_of | audience.coordinated_members})


# --- Data exchange (imports) ------------------------------------------------------------------------------------
# Kept apart at the end of the file: who may import interventions for which organisation.


def importable_organisation_ids(audience: Audience) -> frozenset | None:
    """Organisations whose interventions this audience may import: editors their own, coordinators their
    network's accepted members too; None means any (platform administrators)."""
    if audience.is_admin:
        return None
    return audience.editor_of | audience.coordinated_members


def declaring_network_for_import(audience: Audience, organisation_id: int) -> int | None:
    """The network a coordinator declares a member's imported interventions through (None when the person edits
    the organisation itself, or is an administrator)."""
    if audience.is_admin or organisation_id in audience.editor_of:
        return None
    if organisation_id not in audience.coordinated_members:
        return None
    from .models import Membership

    return (Membership.objects.filter(network_id__in=audience.coordinator_of, member_id=organisation_id,
                                      status=Membership.Status.ACCEPTED)
            .order_by("network_id").values_list("network_id", flat=True).first())


def require_importer(audience: Audience) -> None:
    """Importing needs a signed-in editor, coordinator or administrator."""
    if audience.is_visitor:
        raise DomainError("not_authenticated", "Connexion requise.", "You must sign in.", status_code=401)
    if not (audience.is_admin or audience.editor_of):
        raise forbidden("L'import est réservé aux éditeur·rices d'une organisation et aux coordinations.",
                        "Importing is for organisation editors and network coordinators.")


def visible_import_runs_q(audience: Audience) -> Q:
    """Import runs a person may read: their own and those for organisations they edit (all for administrators)."""
    if audience.is_admin:
        return Q()
    if audience.is_visitor:
        return Q(pk__in=[])
    return Q(user_id=audience.user_id) | Q(organisation_id__in=audience.editor_of)
# --- The library: documents, campaigns, events and news -------------------------------------------------------
# Kept together at the end of the file. Every library record has an owning organisation and a visibility:
#   public   everyone (once the owning organisation is active);
#   members  signed-in people (accounts belong to organisations, networks, donors and administrators);
#   private  the owning organisation's editors (a network's coordinators edit the network's own records) and
#            platform administrators.
# Pages, API, search, feeds and file downloads all filter through visible_library_q.

def visible_library_q(audience: Audience, prefix: str = "") -> Q:
    """The library records (Document, Campaign, Event, NewsItem, or via prefix) this audience may see."""
    p = prefix
    if audience.is_admin:
        return Q()
    levels = ["public"] if audience.is_visitor else ["public", "members"]
    shown = Q(**{f"{p}visibility__in": levels, f"{p}organisation__status": "active"})
    if audience.is_visitor:
        return shown
    return shown | Q(**{f"{p}organisation_id__in": audience.editor_of})


def visible_documents_q(audience: Audience, prefix: str = "") -> Q:
    """The documents this audience may see (and find by search, and download)."""
    return visible_library_q(audience, prefix)


def can_edit_library_record(audience: Audience, *, organisation_id: int) -> bool:
    """The owning organisation's editors and administrators change a document, campaign, event or news item."""
    return audience.is_admin or organisation_id in audience.editor_of


def can_edit_document(audience: Audience, *, organisation_id: int) -> bool:
    return can_edit_library_record(audience, organisation_id=organisation_id)


def require_library_editor(audience: Audience, *, organisation_id: int) -> None:
    if audience.is_visitor:
        raise DomainError("not_authenticated", "Connexion requise.", "You must sign in.", status_code=401)
    if not can_edit_library_record(audience, organisation_id=organisation_id):
        raise forbidden("Vous ne pouvez publier et modifier que les documents, campagnes et événements de votre "
                        "organisation.",
                        "You can only publish and change your own organisation's documents, campaigns and events.")
