"""Reads of organisations and networks, through the audience's visibility."""
from django.db.models import Count, Q, QuerySet

from geo_backend.zones.selectors import InterventionFilters, interventions_visible

from .access import Audience, editable_organisations_q, visible_contact_levels, visible_interventions_q
from .models import Membership, Organisation


def organisations_visible(audience: Audience) -> QuerySet:
    """Active organisations for everyone; pending or archived ones only for their editors and administrators."""
    if audience.is_admin:
        return Organisation.objects.all()
    return Organisation.objects.filter(Q(status=Organisation.Status.ACTIVE) | Q(id__in=audience.editor_of))


def organisations_editable(audience: Audience) -> QuerySet:
    """The organisations this person may change and declare interventions for, by name."""
    if audience.is_visitor:
        return Organisation.objects.none()
    return Organisation.objects.filter(editable_organisations_q(audience)).order_by("name")


def networks_listed() -> QuerySet:
    """The active platforms, alliances and networks, by name: what the map and the dashboard offer to filter by."""
    return Organisation.objects.filter(kind__in=Organisation.NETWORK_KINDS,
                                       status=Organisation.Status.ACTIVE).order_by("name")


def memberships_listed(*, network: int | None = None) -> QuerySet:
    """The accepted memberships between active organisations (public facts), of one network or all, by names."""
    memberships = Membership.objects.filter(status=Membership.Status.ACCEPTED, network__status="active",
                                            member__status="active")
    if network:
        memberships = memberships.filter(network_id=network)
    return memberships.order_by("network__name", "member__name")


def organisation_search(audience: Audience, *, q: str | None = None, kind: str | None = None,
                        is_network: bool | None = None, theme: str | None = None, area: str | None = None
                        ) -> QuerySet:
    """Organisations matching a name or acronym (accent- and case-insensitive), kind, and a theme and area they work
    on: a visible intervention of the organisation on that theme (a domain includes its sub-domains) with a zone in
    that area (a P-code of any level)."""
    queryset = organisations_visible(audience)
    if q:
        queryset = queryset.filter(Q(name__unaccent__icontains=q) | Q(acronym__unaccent__icontains=q))
    if kind:
        queryset = queryset.filter(kind=kind)
    if is_network is not None:
        network_filter = Q(kind__in=Organisation.NETWORK_KINDS)
        queryset = queryset.filter(network_filter if is_network else ~network_filter)
    if theme or area:
        # One subquery over the interventions this audience may see, carrying every filter, so that the theme and
        # the area are matched by the same visible intervention (never a visible one and a hidden one).
        working = interventions_visible(audience, InterventionFilters(themes=[theme] if theme else None, area=area))
        queryset = queryset.filter(id__in=working.order_by().values("organisation_id"))
    return queryset.distinct().order_by("name")


def organisation_summary(organisation: Organisation) -> dict:
    return {
        "id": organisation.id,
        "slug": organisation.slug,
        "name": organisation.name,
        "acronym": organisation.acronym,
        "kind": organisation.kind,
        "is_network": organisation.is_network,
        "status": organisation.status,
        "is_demo": organisation.is_demo,
        "version": organisation.version,
    }


def organisation_detail(audience: Audience, organisation: Organisation) -> dict:
    """Profile of an organisation as this audience may see it: contacts filtered by their visibility."""
    levels = visible_contact_levels(audience, organisation.id)
    memberships = Membership.objects.filter(status=Membership.Status.ACCEPTED)
    visible_interventions = organisation.interventions.filter(visible_interventions_q(audience))
    return {
        **organisation_summary(organisation),
        "description": organisation.description,
        "ocha_type": organisation.ocha_type,
        "head_office": organisation.head_office.name if organisation.head_office else None,
        "founded_year": organisation.founded_year,
        "website": organisation.website,
        "contacts": [
            {"kind": c.kind, "value": c.value, "label": c.label, "visibility": c.visibility}
            for c in organisation.contacts.filter(visibility__in=levels)
        ],
        "networks": [
            {"id": m.network_id, "name": m.network.name, "role": m.role, "since": m.since}
            for m in memberships.filter(member=organisation).select_related("network")
        ],
        "members": [
            {"id": m.member_id, "name": m.member.name, "role": m.role, "since": m.since}
            for m in memberships.filter(network=organisation).select_related("member")
        ] if organisation.is_network else [],
        "themes": sorted(set(visible_interventions.values_list("themes__code", flat=True)) - {None}),
        "interventions": visible_interventions.aggregate(n=Count("id"))["n"],
    }


def memberships_visible(audience: Audience) -> QuerySet:
    """Accepted memberships for everyone; applications only for the two parties and administrators."""
    queryset = Membership.objects.select_related("network", "member")
    if audience.is_admin:
        return queryset
    mine = Q(network_id__in=audience.editor_of) | Q(member_id__in=audience.editor_of)
    return queryset.filter(Q(status=Membership.Status.ACCEPTED) | mine)


def membership_as_dict(membership: Membership) -> dict:
    return {
        "id": membership.id,
        "version": membership.version,
        "network": {"id": membership.network_id, "name": membership.network.name},
        "member": {"id": membership.member_id, "name": membership.member.name},
        "role": membership.role,
        "status": membership.status,
        "since": membership.since,
        "until": membership.until,
    }


def organisation_history(organisation: Organisation) -> list[dict]:
    """Every recorded change of the organisation, its contacts, memberships, interventions (and their links:
    themes, kinds of action, target groups, funders, partners) and their zones (and the units picked for them)."""
    from geo_backend.common.history import merged_history
    from geo_backend.zones.models import INTERVENTION_LINKS, Intervention, Zone, ZonePickedUnit

    intervention_ids = set(
        Intervention.pgh_event_models["insert"].objects.filter(organisation_id=organisation.id)
        .values_list("id", flat=True))
    zone_events = Zone.pgh_event_models["insert"].objects.filter(intervention_id__in=intervention_ids)
    zone_ids = set(zone_events.values_list("id", flat=True))
    return merged_history([
        Organisation.pgh_event_models["insert"].objects.filter(id=organisation.id),
        organisation.contacts.model.pgh_event_models["insert"].objects.filter(organisation_id=organisation.id),
        Membership.pgh_event_models["insert"].objects.filter(Q(network_id=organisation.id)
                                                             | Q(member_id=organisation.id)),
        Intervention.pgh_event_models["insert"].objects.filter(organisation_id=organisation.id),
        *(link.pgh_event_model.objects.filter(intervention_id__in=intervention_ids)
          for link in INTERVENTION_LINKS.values()),
        zone_events,
        ZonePickedUnit.pgh_event_model.objects.filter(zone_id__in=zone_ids),
    ])
