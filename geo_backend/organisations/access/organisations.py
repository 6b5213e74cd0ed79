"""Organisations, memberships and editors: who changes an organisation's record, who consents to a membership for
either side (different people: nobody consents for both), who invites an editor, which contacts she reads, and in
whose name she speaks (partnerships, trainings)."""
from django.db.models import Q

from .audience import Audience, _refuse_unless, forbidden, require_signed_in


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


def visible_contact_levels(audience: Audience, organisation_id: int) -> list[str]:
    """Contact visibilities this audience may read for an organisation."""
    if audience.is_admin or organisation_id in audience.editor_of:
        return ["public", "members", "private"]
    if audience.is_visitor:
        return ["public"]
    return ["public", "members"]


def organisations_spoken_for_q(audience: Audience, prefix: str = "") -> Q:
    """The organisations in whose name this person proposes partnerships or offers trainings: those she edits
    (any active one for an administrator), as a Q on Organisation."""
    if audience.is_admin:
        return Q(**{f"{prefix}status": "active"})
    return Q(**{f"{prefix}id__in": audience.editor_of})


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
