"""What a person may write about interventions: who changes a declaration (the organisation's editors, the network
that declared it for a member) and who validates it (a network's coordinators, administrators; nobody her own
work), and who names a network as the one that declared it. Each yes/no answer has its Q twin for querysets."""
from django.db.models import Q

from .audience import Audience, forbidden, require_signed_in


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


def can_declare_for_network(audience: Audience, *, network_id: int) -> bool:
    """Naming a network as the one that declared an intervention speaks in the network's name: its coordinators
    (of the active network) and administrators only. An editor who could name it would credit her network with her
    own declaration, and so take its review away from that network's coordinators (see can_validate)."""
    return audience.is_admin or network_id in audience.coordinator_of


def require_network_declarer(audience: Audience, *, network_id: int) -> None:
    require_signed_in(audience)
    if not can_declare_for_network(audience, network_id=network_id):
        raise forbidden("Seule la coordination du réseau peut déclarer une intervention en son nom.",
                        "Only the network's coordinators can declare an intervention in its name.")
