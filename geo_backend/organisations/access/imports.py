"""Data exchange: who may import interventions, for which organisations, through which network a coordinator
declares a member's imported records, and which import runs a person reads."""
from django.db.models import Q

from geo_backend.common.errors import DomainError

from .audience import Audience, forbidden


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
    from ..models import Membership

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
