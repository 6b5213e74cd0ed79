"""Capacity self-assessments: filled by the organisation alone; individual scores read by the organisation and the
coordinators of its networks; everyone else sees aggregates over at least NEEDS_MIN_ORGANISATIONS organisations."""
from django.db.models import Q

from .audience import Audience, _refuse_unless, require_admin

# Needs aggregates shown to anyone who may not see individual scores cover at least this many organisations, so
# that no organisation can be singled out (a mean over one or two organisations reveals their scores).
NEEDS_MIN_ORGANISATIONS = 3


def can_score_assessment(audience: Audience, *, organisation_id: int) -> bool:
    """An organisation's editors fill its self-assessment; nobody else (administrators neither: the scores are
    private to the organisation and its networks' coordinators)."""
    return not audience.is_visitor and organisation_id in audience.editor_of


def require_assessment_scorer(audience: Audience, *, organisation_id: int) -> None:
    _refuse_unless(can_score_assessment(audience, organisation_id=organisation_id), audience,
                   "Seule l'organisation remplit sa propre auto-évaluation.",
                   "Only the organisation fills its own self-assessment.")


def assessment_scores_visible_q(audience: Audience, prefix: str = "") -> Q:
    """The self-assessments whose individual scores this person reads: her organisations' and those of the
    members of the networks she coordinates."""
    if audience.is_visitor:
        return Q(pk__in=[])
    return Q(**{f"{prefix}organisation_id__in": audience.editor_of | audience.coordinated_members})


def can_see_network_member_scores(audience: Audience, *, network_id: int) -> bool:
    return not audience.is_visitor and network_id in audience.coordinator_of


def require_network_needs_reader(audience: Audience, *, network_id: int) -> None:
    _refuse_unless(can_see_network_member_scores(audience, network_id=network_id), audience,
                   "Seule la coordination du réseau voit les besoins de chaque membre.",
                   "Only the network's coordinators see each member's needs.")


def require_questionnaire_editor(audience: Audience) -> None:
    require_admin(audience)
