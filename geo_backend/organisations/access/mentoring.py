"""Mentoring pairs: recorded by the network's coordinators (administrators neither), named only to them and to the
two people of the pair."""
from django.db.models import Q

from .audience import Audience, _refuse_unless


def can_record_mentoring(audience: Audience, *, network_id: int) -> bool:
    """A network's coordinators record its mentoring pairs and their follow-up. Not administrators: the names are
    read only by the coordinators and the pair (do no harm)."""
    return not audience.is_visitor and network_id in audience.coordinator_of


def require_mentoring_recorder(audience: Audience, *, network_id: int) -> None:
    _refuse_unless(can_record_mentoring(audience, network_id=network_id), audience,
                   "Seule la coordination du réseau enregistre ses binômes de mentorat.",
                   "Only the network's coordinators record its mentoring pairs.")


def mentoring_pairs_named_q(audience: Audience, prefix: str = "") -> Q:
    """The mentoring pairs whose names this person reads: her networks' pairs (coordinators) and her own pair."""
    if audience.is_visitor:
        return Q(pk__in=[])
    p = prefix
    return (Q(**{f"{p}network_id__in": audience.coordinator_of}) | Q(**{f"{p}mentor_user_id": audience.user_id})
            | Q(**{f"{p}mentee_user_id": audience.user_id}))
