"""Writes for organisations, networks, memberships and contacts. Each public function is one transaction."""
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from geo_backend.collaboration.services.notifications import notify_after_commit
from geo_backend.common.errors import DomainError, refuse_fields_outside
from geo_backend.common.locking import version_bump

from .access import (
    Audience,
    can_end_membership,
    consents_for_member,
    consents_for_network,
    forbidden,
    require_admin,
    require_organisation_editor,
)
from .models import Contact, Membership, Organisation, OrganisationRole

EDITOR_FIELDS = {"name", "acronym", "kind", "description", "head_office", "founded_year", "website", "logo"}


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _set_contacts(organisation: Organisation, contacts: list[dict] | None) -> None:
    """Replaces the organisation's contacts (each {kind, value, label?, visibility?})."""
    if contacts is None:
        return
    organisation.contacts.all().delete()
    Contact.objects.bulk_create(
        Contact(organisation=organisation, kind=c["kind"], value=c["value"], label=c.get("label", ""),
                visibility=c.get("visibility", "private"))
        for c in contacts
    )


@transaction.atomic
def organisation_register(*, audience: Audience, fields: dict, contacts: list[dict] | None = None) -> Organisation:
    """A signed-in person registers an organisation: it starts pending (an administrator activates it) and the
    person becomes its editor (its coordinator too, for a network: powers that start only once it is active)."""
    if audience.is_visitor:
        raise DomainError("not_authenticated", "Connexion requise.", "You must sign in.", status_code=401)
    refuse_fields_outside(fields, EDITOR_FIELDS)
    status = Organisation.Status.ACTIVE if audience.is_admin else Organisation.Status.PENDING
    organisation = Organisation.objects.create(slug=_unique_slug(fields["name"]), status=status, **fields)
    OrganisationRole.objects.create(user_id=audience.user_id, organisation=organisation,
                                    role=OrganisationRole.Role.EDITOR)
    if organisation.is_network:
        OrganisationRole.objects.create(user_id=audience.user_id, organisation=organisation,
                                        role=OrganisationRole.Role.COORDINATOR)
    _set_contacts(organisation, contacts)
    return organisation


@transaction.atomic
def organisation_update(*, audience: Audience, organisation: Organisation, expected_version: int, fields: dict,
                        contacts: list[dict] | None = None, status: str | None = None) -> Organisation:
    """Changes an organisation if nobody saved it since expected_version. Only administrators change status."""
    require_organisation_editor(audience, organisation.id)
    refuse_fields_outside(fields, EDITOR_FIELDS)
    changes = dict(fields)
    if status is not None and status != organisation.status:
        require_admin(audience)
        changes["status"] = status
    if "kind" in changes and organisation.is_network and changes["kind"] not in Organisation.NETWORK_KINDS \
            and organisation.member_links.filter(status=Membership.Status.ACCEPTED).exists():
        raise DomainError("network_has_members", "Un réseau qui a des membres ne peut pas changer de type.",
                          "A network with members cannot change to a non-network kind.")
    version_bump(Organisation, pk=organisation.pk, expected_version=expected_version, **changes)
    organisation.refresh_from_db()
    _set_contacts(organisation, contacts)
    return organisation


@transaction.atomic
def organisation_archive(*, audience: Audience, organisation: Organisation, expected_version: int) -> Organisation:
    """Organisations are archived, not deleted, so their history and past interventions stay readable."""
    require_organisation_editor(audience, organisation.id)
    version_bump(Organisation, pk=organisation.pk, expected_version=expected_version,
                 status=Organisation.Status.ARCHIVED)
    organisation.refresh_from_db()
    return organisation


@transaction.atomic
def membership_apply(*, audience: Audience, network: Organisation, member: Organisation,
                     role: str = Membership.Role.MEMBER) -> Membership:
    """An organisation asks to join a network (the network's coordinator answers), or the coordinator invites an
    organisation (its editor answers). Nobody is enrolled without the consent of both sides, given by two different
    people (access.consents_for_network, consents_for_member): a coordinator applying for her own organisation
    waits for someone else of the network; an administrator who speaks for neither side enrols directly."""
    if not network.is_network:
        raise DomainError("not_a_network", "Cette organisation n'est pas un réseau.",
                          "This organisation is not a network.")
    if member.id == network.id:
        raise DomainError("membership_self", "Un réseau ne peut pas être membre de lui-même.",
                          "A network cannot be its own member.")
    for_network = consents_for_network(audience, network_id=network.id, member_id=member.id)
    for_member = consents_for_member(audience, member_id=member.id)
    if not (for_network or for_member):
        require_organisation_editor(audience, member.id)  # raises the clear refusal
    if Membership.objects.filter(network=network, member=member,
                                 status__in=["applied", "invited", "accepted"]).exists():
        raise DomainError("membership_exists", "Cette adhésion existe déjà ou est en attente.",
                          "This membership already exists or is pending.", status_code=409)
    if for_network and for_member:
        status = Membership.Status.ACCEPTED
    else:
        status = Membership.Status.INVITED if for_network else Membership.Status.APPLIED
    accepted = status == Membership.Status.ACCEPTED
    membership = Membership.objects.create(
        network=network, member=member, role=role, status=status,
        since=timezone.localdate() if accepted else None,
        decided_by_id=audience.user_id if accepted else None,
        decided_at=timezone.now() if accepted else None,
    )
    notify_after_commit("membership_changed", membership_id=membership.id, actor_id=audience.user_id)
    return membership


@transaction.atomic
def membership_decide(*, audience: Audience, membership: Membership, expected_version: int,
                      accept: bool) -> Membership:
    """The other side answers: the network's coordinator an application, the member's editor an invitation. The
    person answering an application never speaks for the applicant too (access.consents_for_network)."""
    if membership.status == Membership.Status.INVITED:
        if not consents_for_member(audience, member_id=membership.member_id):
            raise forbidden("Seule l'organisation invitée peut répondre à l'invitation.",
                            "Only the invited organisation can answer the invitation.")
    elif not consents_for_network(audience, network_id=membership.network_id, member_id=membership.member_id):
        raise forbidden("Seule la coordination du réseau, et pas l'organisation candidate elle-même, peut répondre "
                        "à une demande d'adhésion.",
                        "Only the network's coordinator, not the applying organisation itself, can answer a "
                        "membership application.")
    if membership.status not in (Membership.Status.APPLIED, Membership.Status.INVITED):
        raise DomainError("invalid_transition", "Cette demande a déjà reçu une réponse.",
                          "This application has already been answered.", status_code=409)
    now = timezone.now()
    changes = {"status": Membership.Status.ACCEPTED if accept else Membership.Status.DECLINED,
               "decided_by_id": audience.user_id, "decided_at": now}
    if accept:
        changes["since"] = timezone.localdate()
    version_bump(Membership, pk=membership.pk, expected_version=expected_version, **changes)
    membership.refresh_from_db()
    notify_after_commit("membership_changed", membership_id=membership.id, actor_id=audience.user_id)
    return membership


@transaction.atomic
def membership_end(*, audience: Audience, membership: Membership, expected_version: int) -> Membership:
    """The member or the network ends an accepted membership (kept in history, with its end date)."""
    if not can_end_membership(audience, network_id=membership.network_id, member_id=membership.member_id):
        raise forbidden("Seuls le réseau et l'organisation membre peuvent mettre fin à l'adhésion.",
                        "Only the network and the member organisation can end the membership.")
    version_bump(Membership, pk=membership.pk, expected_version=expected_version,
                 status=Membership.Status.ENDED, until=timezone.localdate())
    membership.refresh_from_db()
    return membership


@transaction.atomic
def organisation_restore(*, audience: Audience, organisation: Organisation, event_id: int,
                         expected_version: int) -> Organisation:
    """Puts back the organisation's fields as they were after a recorded change (the restore is itself recorded)."""
    from geo_backend.common.history import restorable_values

    require_organisation_editor(audience, organisation.id)
    event = Organisation.pgh_event_models["insert"].objects.filter(pgh_id=event_id, id=organisation.id).first()
    if event is None:
        raise DomainError("event_not_found", "Version introuvable dans l'historique de cette organisation.",
                          "Version not found in this organisation's history.", status_code=404)
    version_bump(Organisation, pk=organisation.pk, expected_version=expected_version,
                 **restorable_values(event, EDITOR_FIELDS))
    organisation.refresh_from_db()
    return organisation
