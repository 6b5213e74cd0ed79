"""Geometry precision: whose zones a person sees exactly, and whose as whole communes (coarse zones shown exactly only
to the owner, its networks' coordinators and administrators). A Q form for the ORM and an SQL form for the raw
queries (tiles, analytics, the OGC views); the two answer alike."""
from django.db.models import Q

from .audience import Audience


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
