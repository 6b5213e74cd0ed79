"""Who may see and change what: the one place the rules live. API views, pages and the dashboard all use it.

Roles: visitor (not signed in), organisation editor, network coordinator, platform administrator (superuser or
the "administrateurs" group), donor (the "bailleurs" group: read-only, sees restricted analytics).
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
    coordinator_of: frozenset = frozenset()  # networks this person coordinates
    coordinated_members: frozenset = frozenset()  # accepted members of those networks

    @property
    def is_visitor(self) -> bool:
        return self.user_id is None

    @property
    def sees_restricted_records(self) -> bool:
        """Restricted records: signed-in coordinators and administrators (and the owning organisation)."""
        return self.is_admin or bool(self.coordinator_of)

    @property
    def sees_restricted_analytics(self) -> bool:
        """Analytics computed over every record: coordinators, administrators and donors."""
        return self.sees_restricted_records or self.is_donor


VISITOR = Audience()


def audience_for(user) -> Audience:
    """The Audience of a Django user (cached on the user object for the request)."""
    if user is None or not user.is_authenticated:
        return VISITOR
    cached = getattr(user, "_musoya_audience", None)
    if cached is not None:
        return cached
    from .models import Membership, OrganisationRole

    roles = list(OrganisationRole.objects.filter(user=user).values_list("organisation_id", "role"))
    editor_of = frozenset(org for org, role in roles)  # a coordinator also edits the network's own records
    coordinator_of = frozenset(org for org, role in roles if role == OrganisationRole.Role.COORDINATOR)
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


def require_organisation_editor(audience: Audience, organisation_id: int) -> None:
    """Editors change only their own organisation's records; administrators change any."""
    if audience.is_visitor:
        raise DomainError("not_authenticated", "Connexion requise.", "You must sign in.", status_code=401)
    if not (audience.is_admin or organisation_id in audience.editor_of):
        raise forbidden("Vous ne pouvez modifier que les données de votre organisation.",
                        "You can only change your own organisation's records.")


def require_admin(audience: Audience) -> None:
    if audience.is_visitor:
        raise DomainError("not_authenticated", "Connexion requise.", "You must sign in.", status_code=401)
    if not audience.is_admin:
        raise forbidden("Réservé aux administrateurs de la plateforme.", "Platform administrators only.")


def can_edit_intervention(audience: Audience, *, organisation_id: int, declared_by_network_id: int | None) -> bool:
    """The organisation's editors, and the coordinator of the network that declared it on the member's behalf."""
    return audience.is_admin or organisation_id in audience.editor_of or (
        declared_by_network_id is not None and declared_by_network_id in audience.coordinator_of
        and organisation_id in audience.coordinated_members
    )


def require_intervention_editor(audience: Audience, *, organisation_id: int,
                                declared_by_network_id: int | None) -> None:
    if audience.is_visitor:
        raise DomainError("not_authenticated", "Connexion requise.", "You must sign in.", status_code=401)
    if not can_edit_intervention(audience, organisation_id=organisation_id,
                                 declared_by_network_id=declared_by_network_id):
        raise forbidden("Vous ne pouvez modifier que les déclarations de votre organisation (ou celles que votre "
                        "réseau a faites pour un membre).",
                        "You can only change your own organisation's declarations (or those your network made for "
                        "a member).")


def can_validate(audience: Audience, *, organisation_id: int, declared_by_network_id: int | None) -> bool:
    """A network's coordinator validates its members' declarations (and those it declared for them)."""
    return audience.is_admin or organisation_id in audience.coordinated_members or (
        declared_by_network_id is not None and declared_by_network_id in audience.coordinator_of
    )


def require_validator(audience: Audience, *, organisation_id: int, declared_by_network_id: int | None) -> None:
    if audience.is_visitor:
        raise DomainError("not_authenticated", "Connexion requise.", "You must sign in.", status_code=401)
    if not can_validate(audience, organisation_id=organisation_id, declared_by_network_id=declared_by_network_id):
        raise forbidden("Seule la coordination d'un réseau dont l'organisation est membre peut valider.",
                        "Only the coordinator of a network the organisation belongs to can validate.")


def visible_interventions_q(audience: Audience, prefix: str = "", *, for_analytics: bool = False) -> Q:
    """The interventions this audience may see at all, as a Q on the Intervention model (or via prefix).

    for_analytics: donors read coverage figures computed over restricted interventions too, without seeing
    those records themselves.
    """
    p = prefix
    if audience.is_admin:
        # Coverage figures describe active organisations only, whoever reads them.
        return Q(**{f"{p}organisation__status": "active"}) if for_analytics else Q()
    sees_restricted = audience.sees_restricted_analytics if for_analytics else audience.sees_restricted_records
    sensitivities = ["public", "coarse", "restricted"] if sees_restricted else ["public", "coarse"]
    published = Q(**{f"{p}validation_state": "validated", f"{p}sensitivity__in": sensitivities,
                     f"{p}organisation__status": "active"})
    if audience.is_visitor:
        return published
    own = Q(**{f"{p}organisation_id__in": audience.editor_of})
    to_review = Q(**{f"{p}organisation_id__in": audience.coordinated_members,
                     f"{p}validation_state__in": ["submitted", "validated", "rejected"]})
    declared = Q(**{f"{p}declared_by_network_id__in": audience.coordinator_of})
    return published | own | to_review | declared


def precise_geometry_sql(audience: Audience, intervention_alias: str = "i") -> tuple[str, list]:
    """SQL condition (and params) true when this audience sees a zone's exact geometry.

    Coarse zones are shown to the public only as whole communes; restricted ones are not shown to the public
    at all (visible_interventions_q already removes them).
    """
    if audience.is_admin or audience.sees_restricted_analytics:
        return "TRUE", []
    if audience.is_visitor:
        return f"{intervention_alias}.sensitivity = 'public'", []
    return (f"({intervention_alias}.sensitivity = 'public' OR {intervention_alias}.organisation_id = ANY(%s))",
            [list(audience.editor_of)])


def visible_contact_levels(audience: Audience, organisation_id: int) -> list[str]:
    """Contact visibilities this audience may read for an organisation."""
    if audience.is_admin or organisation_id in audience.editor_of:
        return ["public", "members", "private"]
    if audience.is_visitor:
        return ["public"]
    return ["public", "members"]


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
