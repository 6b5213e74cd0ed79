"""Reads of mentoring pairs. Names only for those organisations/access/ allows (the network's coordinators and
the pair); everyone else gets counts per network and theme, never a list a mentee could be found in."""
from django.db.models import Count, QuerySet

from geo_backend.organisations.access import Audience, mentoring_pairs_named_q

from ..models import MentoringPair


def mentoring_pairs_named(audience: Audience) -> QuerySet:
    return (MentoringPair.objects.filter(mentoring_pairs_named_q(audience))
            .select_related("network", "mentor_user", "mentee_user").prefetch_related("themes"))


def mentoring_pair_as_dict(pair: MentoringPair, *, with_log: bool = False) -> dict:
    data = {"id": pair.id, "version": pair.version, "network": {"id": pair.network_id, "name": pair.network.name},
            "mentor_name": pair.mentor_name, "mentee_name": pair.mentee_name,
            "themes": sorted(t.code for t in pair.themes.all()), "started_on": pair.started_on,
            "ended_on": pair.ended_on, "status": pair.status, "is_demo": pair.is_demo}
    if with_log:
        data["log"] = [{"date": e.date, "note": e.note} for e in pair.log.all()]
    return data


def mentoring_counts() -> list[dict]:
    """Anonymous figures for anyone: active and closed pairs per network (no names, no dates)."""
    rows = (MentoringPair.objects.filter(network__status="active").values("network_id", "network__name", "status")
            .annotate(n=Count("id")).order_by("network__name"))
    counts: dict[int, dict] = {}
    for row in rows:
        entry = counts.setdefault(row["network_id"], {"network": {"id": row["network_id"],
                                                                  "name": row["network__name"]},
                                                      "active": 0, "closed": 0})
        entry[row["status"]] = row["n"]
    return list(counts.values())
