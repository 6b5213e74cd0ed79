"""The measures as DataFrames: coverage, gaps, overlaps and the national roll-ups, for the audience of the person
asking.

Every number comes from the analytics selectors (geo_backend/analytics/selectors.py), computed for the audience of
the person asking (organisations/access/): visitors get the public-only numbers, coordinators and donors the full
ones. Aggregates (counts by theme, funder, gender marker) are taken over the interventions the analytics selectors
selected, so they follow the same rule. Lists of records (who works in a unit, possible partners) go through
interventions_visible, the records rule: nobody reads a record here that the site would not show them.
"""
import dataclasses
import datetime as dt
from collections.abc import Callable

import pandas as pd

from ..cache import RecentCache
from ..state import Filters
from .layers import _neighbours, ancestors, edition, units_frame
from .options import theme_labels

COVERAGE_COLUMNS = ["pcode", "name", "level", "area_km2", "covered_km2", "women", "women_covered", "population",
                    "population_covered", "organisations", "interventions", "coverage_share", "women_share_covered",
                    "women_per_organisation"]
NO_FUNDER = 0  # funder id of the interventions that name no funder, in the funder frames


def _intervention_filters(filters: Filters, **changes):
    from geo_backend.zones.selectors import InterventionFilters

    values = {
        "themes": list(filters.themes) or None,
        "network": filters.network,
        "funder": filters.funder,
        "active_from": dt.date(filters.year_from, 1, 1) if filters.year_from else None,
        "active_to": dt.date(filters.year_to, 12, 31) if filters.year_to else None,
    }
    values.update(changes)
    return InterventionFilters(**values)


def _query(filters: Filters, *, edition_slug: str | None = None, level: int | None = None, **changes):
    from geo_backend.analytics.selectors import CoverageQuery

    return CoverageQuery(edition=edition(edition_slug), level=filters.level if level is None else level,
                         filters=_intervention_filters(filters, **changes))


def coverage_frame(audience, filters: Filters, *, edition_slug: str | None = None) -> pd.DataFrame:
    """Per unit of the filters' level: organisations, interventions, women (2017), women covered and shares."""
    from geo_backend.analytics.selectors import coverage_by_unit

    rows = coverage_by_unit(audience, _query(filters, edition_slug=edition_slug))
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


@dataclasses.dataclass(frozen=True)
class Selection:
    """What the analytics selectors count for an audience and filters: the interventions and organisations."""

    intervention_ids: frozenset
    organisation_ids: frozenset
    has_demo: bool

    @property
    def interventions(self) -> int:
        return len(self.intervention_ids)

    @property
    def organisations(self) -> int:
        return len(self.organisation_ids)


def one_question():
    """A block in which each choice of filters selects its zones once (analytics.selectors): a callback's map, table
    and summary measure the same selection."""
    from geo_backend.analytics.selectors import one_selection_per_question

    return one_selection_per_question()


def selection(audience, filters: Filters, *, edition_slug: str | None = None) -> Selection:
    """The interventions the measures count (validated, visible to the analytics of this audience), and whether
    any of them is demo data (then the page says so)."""
    from geo_backend.analytics.selectors import any_demo, selected_zones

    selected = selected_zones(audience, _query(filters, edition_slug=edition_slug))
    ids = frozenset(selected["intervention_ids"])
    return Selection(ids, frozenset(selected["organisation_ids"]), any_demo(ids))


def unit_interventions_frame(audience, filters: Filters, pcode: str) -> pd.DataFrame:
    """Who works in a unit, on what, since when: the validated interventions visible to this person (records
    rule) with a zone touching the unit, for the filters."""
    from geo_backend.zones.selectors import interventions_visible

    labels = theme_labels()
    queryset = (interventions_visible(audience, _intervention_filters(filters, area=pcode,
                                                                      validation_state="validated"))
                .select_related("organisation").prefetch_related("themes")
                .order_by("organisation__name", "start_date", "id"))
    rows = [{
        "organisation": i.organisation.name,
        "title": i.title,
        "themes": ", ".join(sorted(labels.get(t.code, t.code) for t in i.themes.all())),
        "start_date": i.start_date,
        "end_date": i.end_date,
        "status": str(i.get_status_display()),
        "is_demo": i.is_demo,
    } for i in queryset[:200]]
    return pd.DataFrame(rows, columns=["organisation", "title", "themes", "start_date", "end_date", "status",
                                       "is_demo"])


def organisations_by_unit(audience, filters: Filters, level: int) -> dict[str, list[str]]:
    """For each unit of the level, the organisations with a visible validated intervention (for the filters)
    whose zone touches it (records rule)."""
    from geo_backend.zones.selectors import interventions_visible

    path = "zones__commune_shares__commune" + "__parent" * (3 - level) + "__pcode"
    rows = (interventions_visible(audience, _intervention_filters(filters, validation_state="validated"))
            .order_by().values_list(path, "organisation__name").distinct())
    found: dict[str, set] = {}
    for pcode, name in rows:
        if pcode:
            found.setdefault(pcode, set()).add(name)
    return {pcode: sorted(names) for pcode, names in found.items()}


def gaps_frame(audience, filters: Filters, *, edition_slug: str | None = None, max_partners: int = 6
               ) -> pd.DataFrame:
    """The units without any coverage for the filters, most women first, with the organisations working on the
    same filters (themes…) in neighbouring units, suggested as possible partners."""
    from geo_backend.analytics.selectors import gaps

    query = _query(filters, edition_slug=edition_slug)
    rows = gaps(audience, query)
    units = units_frame(filters.level, edition_slug=edition_slug).set_index("pcode")
    neighbours = _neighbours(query.edition.id, filters.level)
    presence = organisations_by_unit(audience, filters, filters.level) if rows else {}
    records = []
    for rank, row in enumerate(rows, start=1):
        nearby = [n for n in neighbours.get(row["pcode"], []) if n in presence]
        partners = sorted({name for n in nearby for name in presence[n]})
        records.append({
            "rank": rank,
            "pcode": row["pcode"],
            "name": row["name"],
            "parent_name": units["parent_name"].get(row["pcode"]),
            "women_uncovered": row["women"] - row["women_covered"],
            "partners": ", ".join(partners[:max_partners]) + (" …" if len(partners) > max_partners else ""),
            "partner_units": ", ".join(units["name"].get(n, n) for n in nearby),
        })
    return pd.DataFrame(records, columns=["rank", "pcode", "name", "parent_name", "women_uncovered", "partners",
                                          "partner_units"])


# The overlaps selector takes seconds on 2,000 zones: its answer (for communes) is kept a few minutes per audience
# and filters, and summed up to cercles and regions here, so that changing the level costs nothing.
OVERLAPS = RecentCache(size=32, seconds=300)


def _overlap_report(audience, filters: Filters, edition_slug: str | None) -> dict:
    from geo_backend.analytics.overlaps import overlaps
    from geo_backend.collaboration.selectors.partnerships import partnerships_stamp

    # The stamp changes whenever a partnership is accepted or ended: a cached report never shows a stale
    # "coordinated" column.
    key = (audience, dataclasses.replace(filters, level=3, metric=""), edition_slug, partnerships_stamp())
    return OVERLAPS.get(key, lambda: overlaps(audience, _query(filters, edition_slug=edition_slug, level=3)))


def overlaps_frames(audience, filters: Filters, *, edition_slug: str | None = None,
                    uncoordinated_only: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Possible duplication: (pairs of interventions of different organisations on a common theme and period
    whose zones intersect, per unit of the level: pairs, shared km² and women). A pair is "coordinated" when the
    two organisations' accepted partnerships cover all its communes; uncoordinated_only keeps, of each pair, only
    the communes where it is not (what a coordinator has to act on), and drops the pairs left with none."""
    labels = theme_labels()
    report = _overlap_report(audience, filters, edition_slug)
    unit_of = ancestors(filters.level, edition_slug=edition_slug)
    proposal_url = _partnership_proposal_urls(audience, report["pairs"])
    pairs, per_unit = [], {}
    for index, pair in enumerate(report["pairs"]):
        first, second = pair["interventions"]
        period = pair["shared_period"]
        communes = [c for c in pair["units"] if not (uncoordinated_only and c["coordinated"])]
        if not communes:
            continue
        names = []
        for commune in communes:
            pcode, name = unit_of.get(commune["pcode"], (commune["pcode"], commune["name"]))
            if name not in names:
                names.append(name)
            entry = per_unit.setdefault(pcode, {"pcode": pcode, "name": name, "pairs": set(), "shared_km2": 0.0,
                                                "women_shared": 0.0})
            entry["pairs"].add(index)
            entry["shared_km2"] += commune["shared_km2"]
            entry["women_shared"] += commune["women_shared"]
        pairs.append({
            "organisation_a": first["organisation"]["name"], "intervention_a": first["title"],
            "organisation_b": second["organisation"]["name"], "intervention_b": second["title"],
            "themes": ", ".join(labels.get(code, code) for code in pair["themes"]),
            "period_start": period["start"], "period_end": period["end"],
            "shared_km2": sum(c["shared_km2"] for c in communes),
            "women_shared": sum(c["women_shared"] for c in communes), "units": ", ".join(names),
            "coordinated": all(c["coordinated"] for c in communes),
            "propose_url": proposal_url(first, second, pair["themes"], communes),
        })
    pair_columns = ["organisation_a", "intervention_a", "organisation_b", "intervention_b", "themes",
                    "period_start", "period_end", "shared_km2", "women_shared", "units", "coordinated",
                    "propose_url"]
    by_unit = pd.DataFrame([{**entry, "pairs": len(entry["pairs"])} for entry in per_unit.values()],
                           columns=["pcode", "name", "pairs", "shared_km2", "women_shared"])
    by_unit = by_unit.sort_values("shared_km2", ascending=False, kind="stable").reset_index(drop=True)
    return pd.DataFrame(pairs, columns=pair_columns), by_unit


def _partnership_proposal_urls(audience, pairs: list[dict]) -> Callable[[dict, dict, list, list], str]:
    """For an editor of one of the two organisations of a pair: the site's partnership proposal, prefilled with the
    other organisation, the communes and the themes of the overlap ("" for anyone else). Who may propose is asked
    once for every organisation of the pairs (per pair, 13,000 times for one theme at 20,000 zones, it cost 0.2 s)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from geo_backend.organisations.access import partnership_proposers_among

    organisations = sorted({i["organisation"]["id"] for pair in pairs for i in pair["interventions"]})
    proposers = set(partnership_proposers_among(audience, organisations))
    if not proposers:
        return lambda first, second, themes, communes: ""
    proposal = reverse("collaboration:partnership-propose")

    def url(first: dict, second: dict, themes: list[str], communes: list[dict]) -> str:
        ids = [first["organisation"]["id"], second["organisation"]["id"]]
        mine = [pk for pk in ids if pk in proposers]
        if not mine:
            return ""
        proposer = mine[0]
        partner = ids[1] if proposer == ids[0] else ids[0]
        query = urlencode({"organisation": proposer, "partenaire": partner, "themes": ",".join(themes),
                           "communes": ",".join(c["pcode"] for c in communes)}, safe=",")
        return f"{proposal}?{query}"

    return url


def _themes_of(intervention_ids) -> pd.DataFrame:
    """(intervention, domain) for the given interventions: a sub-domain counts for its domain."""
    from geo_backend.analytics.selectors import intervention_themes

    frame = pd.DataFrame(intervention_themes(intervention_ids),
                         columns=["intervention", "organisation", "code", "parent"])
    frame["domain"] = frame["parent"].fillna(frame["code"])
    return frame.drop(columns=["code", "parent"]).dropna(subset=["domain"]).drop_duplicates()


# National roll-ups run one coverage query per network, funder or year (some 200 ms each over every intervention):
# kept two minutes per audience and filters, so that coming back to a view or a filter costs nothing.
ROLLUPS = RecentCache(size=128, seconds=120)


def _rollup(audience, filters: Filters, edition_slug: str | None, by: str) -> list[dict]:
    from geo_backend.analytics.rollups import coverage_rollup

    key = (by, audience, dataclasses.replace(filters, level=0, metric=""), edition_slug)
    return ROLLUPS.get(key, lambda: coverage_rollup(audience, _query(filters, edition_slug=edition_slug, level=0),
                                                    by=by))


def network_rollup_frame(audience, filters: Filters, *, edition_slug: str | None = None) -> pd.DataFrame:
    """Per network (or only the chosen one): its members' interventions together, over the whole country."""

    rows = _rollup(audience, filters, edition_slug, "network")
    frame = pd.DataFrame([{"network_id": r["network"]["id"], "network": r["network"]["name"],
                           **{k: v for k, v in r.items() if k != "network"}} for r in rows],
                         columns=["network_id", "network", "organisations", "interventions", "covered_km2",
                                  "coverage_share", "women_covered", "women_share_covered", "population_covered"])
    if filters.network:
        frame = frame[frame["network_id"] == filters.network]
    return frame.reset_index(drop=True)


def member_themes_frame(audience, filters: Filters, *, edition_slug: str | None = None) -> pd.DataFrame:
    """Per network and accepted member: the number of interventions on each theme domain (analytics rule)."""
    from geo_backend.organisations.selectors import memberships_listed

    members = memberships_listed(network=filters.network)
    links = pd.DataFrame(list(members.values_list("network_id", "network__name", "member_id", "member__name")),
                         columns=["network_id", "network", "organisation", "member"])
    chosen = selection(audience, dataclasses.replace(filters, network=None), edition_slug=edition_slug)
    themes = _themes_of(chosen.intervention_ids)
    counts = (themes.groupby(["organisation", "domain"])["intervention"].nunique().rename("interventions")
              .reset_index())
    frame = links.merge(counts, on="organisation", how="left")
    frame["interventions"] = frame["interventions"].fillna(0).astype(int)
    return frame[["network_id", "network", "member", "domain", "interventions"]].reset_index(drop=True)


def funder_frame(audience, filters: Filters, *, edition_slug: str | None = None) -> pd.DataFrame:
    """Per funder: coverage over the country (its interventions together) and the gender-marker split."""
    from geo_backend.analytics.selectors import intervention_funder_markers

    rows = _rollup(audience, filters, edition_slug, "funder")
    frame = pd.DataFrame([{"funder_id": r["funder"]["id"], "funder": r["funder"]["name"],
                           **{k: v for k, v in r.items() if k != "funder"}} for r in rows],
                         columns=["funder_id", "funder", "organisations", "interventions", "covered_km2",
                                  "coverage_share", "women_covered", "women_share_covered", "population_covered"])
    if filters.funder:
        frame = frame[frame["funder_id"] == filters.funder]
    chosen = selection(audience, filters, edition_slug=edition_slug)
    markers = pd.DataFrame(intervention_funder_markers(chosen.intervention_ids),
                           columns=["intervention", "funder_id", "gender_marker"])
    split = (markers.assign(marker=markers["gender_marker"].map(lambda m: f"marker_{int(m)}" if pd.notna(m)
                                                                  else "marker_none"))
             .groupby(["funder_id", "marker"])["intervention"].nunique().unstack(fill_value=0))
    for column in ("marker_2", "marker_1", "marker_0", "marker_none"):
        if column not in split:
            split[column] = 0
    frame = frame.merge(split[["marker_2", "marker_1", "marker_0", "marker_none"]], left_on="funder_id",
                        right_index=True, how="left")
    for column in ("marker_2", "marker_1", "marker_0", "marker_none"):
        frame[column] = frame[column].fillna(0).astype(int)
    return frame.reset_index(drop=True)


def funder_themes_frame(audience, filters: Filters, *, edition_slug: str | None = None) -> pd.DataFrame:
    """Per funder (or "no funder", id 0) and theme domain: the interventions counted by the analytics."""
    from geo_backend.analytics.selectors import intervention_funders
    from geo_backend.taxonomy.selectors import funder_names

    chosen = selection(audience, filters, edition_slug=edition_slug)
    themes = _themes_of(chosen.intervention_ids)
    funded = pd.DataFrame(intervention_funders(chosen.intervention_ids), columns=["intervention", "funder_id"])
    funded["funder_id"] = funded["funder_id"].fillna(NO_FUNDER).astype(int)
    names = funder_names()
    frame = themes.merge(funded, on="intervention")
    frame = frame.groupby(["funder_id", "domain"])["intervention"].nunique().rename("interventions").reset_index()
    frame["funder"] = frame["funder_id"].map(lambda pk: names.get(pk))
    return frame[["funder_id", "funder", "domain", "interventions"]]


def coverage_by_year_frame(audience, filters: Filters, years: list[int], *, edition_slug: str | None = None
                           ) -> pd.DataFrame:
    """For each year: the country's women covered by the interventions active in it (for the other filters); every
    year measured by one statement (analytics/rollups.py)."""
    from geo_backend.analytics.rollups import coverage_by_year

    key = ("years", tuple(years), audience, dataclasses.replace(filters, level=0, metric=""), edition_slug)
    by_year = ROLLUPS.get(key, lambda: coverage_by_year(audience, _query(filters, edition_slug=edition_slug,
                                                                         level=0), years))
    rows = [{"year": year, **{k: by_year[year][k] for k in ("organisations", "interventions", "women",
                                                             "women_covered", "women_share_covered")}}
            for year in years]
    return pd.DataFrame(rows, columns=["year", "organisations", "interventions", "women", "women_covered",
                                       "women_share_covered"])
