"""Reads of organisations and networks, through the audience's visibility."""
from django.db.models import Count, Q, QuerySet

from .access import Audience, visible_contact_levels, visible_interventions_q
from .models import Membership, Organisation


def organisations_visible(audience: Audience) -> QuerySet:
    """Active organisations for everyone; pending or archived ones only for their editors and administrators."""
    if audience.is_admin:
        return Organisation.objects.all()
    return Organisation.objects.filter(Q(status=Organisation.Status.ACTIVE) | Q(id__in=audience.editor_of))


def organisation_search(audience: Audience, *, q: str | None = None, kind: str | None = None,
                        is_network: bool | None = None, theme: str | None = None, area: str | None = None
                        ) -> QuerySet:
    """Organisations matching a name or acronym (accent- and case-insensitive), kind, theme or area worked in."""
    queryset = organisations_visible(audience)
    if q:
        queryset = queryset.filter(Q(name__unaccent__icontains=q) | Q(acronym__unaccent__icontains=q))
    if kind:
        queryset = queryset.filter(kind=kind)
    if is_network is not None:
        network_filter = Q(kind__in=Organisation.NETWORK_KINDS)
        queryset = queryset.filter(network_filter if is_network else ~network_filter)
    if theme or area:
        interventions = visible_interventions_q(audience, prefix="interventions__")
        queryset = queryset.filter(interventions)
        if theme:
            queryset = queryset.filter(Q(interventions__themes__code=theme)
                                       | Q(interventions__themes__parent__code=theme))
        if area:
            code = area.upper()
            shares = "interventions__zones__commune_shares__commune__"
            queryset = queryset.filter(Q(**{f"{shares}pcode": code}) | Q(**{f"{shares}parent__pcode": code})
                                       | Q(**{f"{shares}parent__parent__pcode": code}))
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
    """Every recorded change of the organisation, its contacts, memberships, interventions and their zones."""
    from geo_backend.common.history import merged_history
    from geo_backend.zones.models import Intervention, Zone

    intervention_ids = set(
        Intervention.pgh_event_models["insert"].objects.filter(organisation_id=organisation.id)
        .values_list("id", flat=True))
    return merged_history([
        Organisation.pgh_event_models["insert"].objects.filter(id=organisation.id),
        organisation.contacts.model.pgh_event_models["insert"].objects.filter(organisation_id=organisation.id),
        Membership.pgh_event_models["insert"].objects.filter(Q(network_id=organisation.id)
                                                             | Q(member_id=organisation.id)),
        Intervention.pgh_event_models["insert"].objects.filter(organisation_id=organisation.id),
        Zone.pgh_event_models["insert"].objects.filter(intervention_id__in=intervention_ids),
    ])
