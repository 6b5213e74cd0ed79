"""Who is told: the people to notify about an organisation's or a network's work, chosen so that only people who may
see what they are told about are told (editors, active networks' coordinators)."""


def organisation_editor_ids(organisation_ids) -> list[int]:
    """The people who edit these organisations."""
    from ..models import OrganisationRole

    return sorted(set(OrganisationRole.objects.filter(organisation_id__in=list(organisation_ids),
                                                      role=OrganisationRole.Role.EDITOR)
                      .values_list("user_id", flat=True)))


def network_coordinator_ids(network_ids) -> list[int]:
    """The coordinators of these networks, when active (only active networks grant coordinator rights)."""
    from ..models import OrganisationRole

    return sorted(set(OrganisationRole.objects.filter(organisation_id__in=list(network_ids),
                                                      organisation__status="active",
                                                      role=OrganisationRole.Role.COORDINATOR)
                      .values_list("user_id", flat=True)))


def declaration_reviewer_ids(*, organisation_id: int, declared_by_network_id: int | None) -> list[int]:
    """Who validates an organisation's declarations: the coordinators of the active networks it is an accepted
    member of, and of the network that declared it on its behalf."""
    from ..models import Membership

    networks = set(Membership.objects.filter(member_id=organisation_id, status=Membership.Status.ACCEPTED)
                   .values_list("network_id", flat=True))
    if declared_by_network_id is not None:
        networks.add(declared_by_network_id)
    return network_coordinator_ids(networks)
