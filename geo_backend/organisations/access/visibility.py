"""Which interventions a person sees at all (records, map, exports, analytics): published ones for everyone, her own
whatever their state, what her active networks' members submitted; restricted ones only for their owner, its
coordinators and administrators. How exactly their zones are drawn is geometry.py's question."""
from django.db.models import Q

from .audience import Audience
from .declarations import own_interventions_q


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
