"""Coverage, gaps and overlaps: read-only selectors, SQL in PostGIS over the coverage atoms.

Every measure is computed only from the zones the audience may count (organisations/access/, for_analytics): a
visitor's coarse zones count as whole communes and restricted ones not at all; coordinators of active networks,
administrators and donors count all of them exactly (figures only: the records stay behind the records rule).
Only validated interventions count unless the filters say otherwise.
"""
import dataclasses
from dataclasses import dataclass

from django.db import connection

from geo_backend.collaboration.selectors.partnerships import ACCEPTED_PARTNERSHIP_COVERAGE_SQL
from geo_backend.organisations.access import Audience, precise_geometry_sql
from geo_backend.regions.models import Edition
from geo_backend.zones.models import Intervention
from geo_backend.zones.selectors import InterventionFilters, interventions_visible

POPULATION_YEAR = 2017

# The selected zones, passed to the measuring queries as arrays (one round trip, any filter combination).
SELECTED_ZONES = """
  SELECT z.id, i.id, i.organisation_id, ({precise})
  FROM zones_zone z JOIN zones_intervention i ON i.id = z.intervention_id
  WHERE z.edition_id = %s AND i.id IN ({visible})
  ORDER BY z.id
"""
SEL_CTE = """
  sel AS (
    SELECT * FROM unnest(%(zone_ids)s::bigint[], %(intervention_ids)s::bigint[], %(organisation_ids)s::bigint[],
                         %(precise)s::boolean[]) AS s(zone_id, intervention_id, organisation_id, precise)
  )
"""

# The communes a selected zone counts whole: those a zone the audience sees only coarsely touches, and those a zone
# covers entirely (such pieces are not in the atoms: analytics/services.py). One rule for every measuring query.
WHOLE_COMMUNE_PIECE = "(NOT {sel}.precise OR {piece}.covers_commune)"

# Each commune's covered share: 1 where a selected zone counts it whole, else the area of the atoms covered by at
# least one selected zone. Only the communes no selected zone counts whole need their atoms: at 20,000 zones, a broad
# selection counts 699 of 701 communes whole, and reading the atoms of the two others instead of all 351,000 took the
# query from seconds to milliseconds. The atoms are found through their GIN index on zone ids (an exact match for
# &&, with the ids as one array); comparing each atom's list with the whole selection costs its length times the
# selection's.
COMMUNE_COVER = f"""
  coarse_communes AS MATERIALIZED (
    SELECT DISTINCT zc.commune_id FROM zones_zonecommune zc JOIN sel ON sel.zone_id = zc.zone_id
    WHERE {WHOLE_COMMUNE_PIECE.format(sel="sel", piece="zc")}
  ),
  partial_pieces AS MATERIALIZED (
    SELECT zc.zone_id, zc.commune_id, zc.area_km2 FROM zones_zonecommune zc JOIN sel ON sel.zone_id = zc.zone_id
    WHERE sel.precise AND NOT zc.covers_commune AND zc.commune_id NOT IN (SELECT commune_id FROM coarse_communes)
  ),
  -- A commune with one selected partial piece is covered by that piece's area; only those with several need the
  -- atoms, to count each place once (the rule of rollups.GROUP_COVERAGE too, so both give the same figures).
  partial_communes AS MATERIALIZED (
    SELECT commune_id, count(*) AS pieces, max(area_km2) AS one_piece_km2 FROM partial_pieces GROUP BY commune_id
  ),
  atom_cover AS (
    SELECT a.commune_id, sum(a.area_km2) AS covered_km2
    FROM analytics_coverageatom a
    WHERE a.zone_ids && (SELECT coalesce(array_agg(p.zone_id), '{{}}') FROM partial_pieces p
                         JOIN partial_communes pc USING (commune_id) WHERE pc.pieces > 1)
      AND a.commune_id IN (SELECT commune_id FROM partial_communes WHERE pieces > 1)
    GROUP BY a.commune_id
    UNION ALL
    SELECT commune_id, one_piece_km2 FROM partial_communes WHERE pieces = 1
  ),
  commune_cover AS (
    SELECT c.id AS commune_id, c.area_km2,
           CASE WHEN cc.commune_id IS NOT NULL THEN 1.0
                ELSE LEAST(1.0, coalesce(ac.covered_km2, 0) / c.area_km2) END AS share
    FROM regions_adminunit c
    LEFT JOIN atom_cover ac ON ac.commune_id = c.id
    LEFT JOIN coarse_communes cc ON cc.commune_id = c.id
    WHERE c.edition_id = %(edition)s AND c.level = 3
  ),
  commune_unit AS (
    SELECT c.id AS commune_id,
           CASE %(level)s WHEN 3 THEN c.id WHEN 2 THEN c.parent_id WHEN 1 THEN p.parent_id ELSE gp.parent_id END
             AS unit_id
    FROM regions_adminunit c
    JOIN regions_adminunit p ON p.id = c.parent_id
    JOIN regions_adminunit gp ON gp.id = p.parent_id
    WHERE c.edition_id = %(edition)s AND c.level = 3
  )
"""


@dataclass
class CoverageQuery:
    """What to measure: admin level (0 country … 3 commune) of an edition, and which interventions count."""

    edition: Edition
    level: int = 2
    filters: InterventionFilters = dataclasses.field(default_factory=InterventionFilters)
    include_unvalidated: bool = False


def selected_zones(audience: Audience, query: CoverageQuery) -> dict:
    """The zones that count for this audience and query, with their intervention, organisation and whether the
    audience sees them exactly; as named parameters for the measuring queries."""
    filters = dataclasses.replace(query.filters)
    if not query.include_unvalidated and not filters.validation_state:
        filters.validation_state = "validated"
    visible = interventions_visible(audience, filters, for_analytics=True).order_by().values("id")
    visible_sql, visible_params = visible.query.sql_with_params()
    precise_sql, precise_params = precise_geometry_sql(audience, "i", for_analytics=True)
    with connection.cursor() as cursor:
        cursor.execute(SELECTED_ZONES.format(precise=precise_sql, visible=visible_sql),
                       [*precise_params, query.edition.id, *visible_params])
        rows = cursor.fetchall()
    columns = list(zip(*rows, strict=True)) if rows else [(), (), (), ()]
    return {
        "zone_ids": list(columns[0]), "intervention_ids": list(columns[1]), "organisation_ids": list(columns[2]),
        "precise": list(columns[3]), "edition": query.edition.id, "level": query.level, "year": POPULATION_YEAR,
    }


def coverage_by_unit(audience: Audience, query: CoverageQuery) -> list[dict]:
    """Per unit of the level: organisations and interventions present, area and women covered (uniform density
    within each commune), and women per active organisation."""
    params = selected_zones(audience, query)
    sql = f"""
      WITH {SEL_CTE},
      {COMMUNE_COVER},
      presence AS (
        SELECT cu.unit_id, count(DISTINCT sel.organisation_id) AS organisations,
               count(DISTINCT sel.intervention_id) AS interventions
        FROM sel JOIN zones_zonecommune zc ON zc.zone_id = sel.zone_id
        JOIN commune_unit cu ON cu.commune_id = zc.commune_id
        GROUP BY cu.unit_id
      )
      SELECT u.pcode, u.name, u.level,
             sum(cc.area_km2) AS area_km2,
             sum(cc.share * cc.area_km2) AS covered_km2,
             sum(coalesce(pop.female, 0)) AS women,
             sum(cc.share * coalesce(pop.female, 0)) AS women_covered,
             sum(coalesce(pop.total, 0)) AS population,
             sum(cc.share * coalesce(pop.total, 0)) AS population_covered,
             coalesce(max(pr.organisations), 0) AS organisations,
             coalesce(max(pr.interventions), 0) AS interventions
      FROM commune_cover cc
      JOIN commune_unit cu ON cu.commune_id = cc.commune_id
      JOIN regions_adminunit u ON u.id = cu.unit_id
      LEFT JOIN regions_population pop ON pop.unit_id = cc.commune_id AND pop.year = %(year)s
      LEFT JOIN presence pr ON pr.unit_id = u.id
      GROUP BY u.id
      ORDER BY u.pcode
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c.name for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["coverage_share"] = row["covered_km2"] / row["area_km2"] if row["area_km2"] else 0.0
        row["women_share_covered"] = row["women_covered"] / row["women"] if row["women"] else 0.0
        row["women_per_organisation"] = row["women"] / row["organisations"] if row["organisations"] else None
    return rows


def gaps(audience: Audience, query: CoverageQuery) -> list[dict]:
    """The underserved units: no coverage at all for these filters, most women first."""
    rows = [row for row in coverage_by_unit(audience, query) if row["covered_km2"] <= 1e-9]
    return sorted(rows, key=lambda row: (-row["women"], row["pcode"]))


def coverage_change(audience: Audience, query: CoverageQuery, *, before, after) -> list[dict]:
    """Units whose covered women fell between two dates (interventions active on each date), largest loss first."""
    def at(day):
        filters = dataclasses.replace(query.filters, active_on=day, active_from=None, active_to=None)
        return {r["pcode"]: r for r in coverage_by_unit(audience, dataclasses.replace(query, filters=filters))}

    first, second = at(before), at(after)
    changes = []
    for pcode, row in first.items():
        lost = row["women_covered"] - second[pcode]["women_covered"]
        if lost > 1e-6:
            changes.append({"pcode": pcode, "name": row["name"], "level": row["level"],
                            "women_covered_before": row["women_covered"],
                            "women_covered_after": second[pcode]["women_covered"], "women_lost": lost,
                            "coverage_share_before": row["coverage_share"],
                            "coverage_share_after": second[pcode]["coverage_share"]})
    return sorted(changes, key=lambda row: (-row["women_lost"], row["pcode"]))


# Which interventions cover whole communes (coarse: seen only coarsely, or a zone covering the commune), and which
# cover which atom elsewhere (an intervention that counts a commune whole is not also counted by its atoms there).
# Atoms are read only in the communes holding two exact pieces or more (elsewhere no two exact footprints meet, and
# one piece is its own area), through a hash join on their zone ids: matching every atom's list against the whole
# selection (&&) costs their lengths multiplied, and took 13 to 19 s for one theme at 20,000 zones.
PIECES = f"""
  coarse AS MATERIALIZED (
    SELECT DISTINCT zc.commune_id, sel.intervention_id
    FROM sel JOIN zones_zonecommune zc ON zc.zone_id = sel.zone_id
    WHERE {WHOLE_COMMUNE_PIECE.format(sel="sel", piece="zc")}
  ),
  exact_pieces AS MATERIALIZED (
    SELECT zc.commune_id, s.intervention_id, zc.zone_id, zc.area_km2
    FROM sel s JOIN zones_zonecommune zc ON zc.zone_id = s.zone_id
    WHERE s.precise AND NOT zc.covers_commune
      AND NOT EXISTS (SELECT 1 FROM coarse c WHERE c.commune_id = zc.commune_id
                                               AND c.intervention_id = s.intervention_id)
  ),
  atom_communes AS MATERIALIZED (SELECT commune_id FROM exact_pieces GROUP BY commune_id HAVING count(*) > 1),
  atom_interventions AS MATERIALIZED (
    SELECT DISTINCT a.id AS atom_id, a.commune_id, a.area_km2, p.intervention_id
    FROM analytics_coverageatom a CROSS JOIN LATERAL unnest(a.zone_ids) AS zid
    JOIN exact_pieces p ON p.zone_id = zid AND p.commune_id = a.commune_id
    WHERE a.commune_id IN (SELECT commune_id FROM atom_communes)
  ),
  -- An intervention's exact footprint in each commune where it is not counted whole (what it shares with a coarse
  -- one there): its one piece's area, or the area of the atoms its pieces cover.
  atom_intervention_area AS (
    SELECT commune_id, intervention_id, sum(area_km2) AS area_km2 FROM atom_interventions
    GROUP BY commune_id, intervention_id
    UNION ALL
    SELECT commune_id, intervention_id, max(area_km2) FROM exact_pieces
    WHERE commune_id NOT IN (SELECT commune_id FROM atom_communes)
    GROUP BY commune_id, intervention_id
  )
"""

# Shared areas of each pair of interventions, per commune: two exact zones share the atoms both cover; an exact
# zone and a coarse one share the exact zone's atoms in the coarse one's communes; two coarse ones share the
# whole commune.
OVERLAP_PAIRS = """
  pair_pieces AS (
    SELECT x.commune_id, x.area_km2, x.intervention_id AS first_id, y.intervention_id AS second_id
    FROM atom_interventions x
    JOIN atom_interventions y ON y.atom_id = x.atom_id AND x.intervention_id < y.intervention_id
    UNION ALL
    SELECT x.commune_id, x.area_km2, least(x.intervention_id, c.intervention_id),
           greatest(x.intervention_id, c.intervention_id)
    FROM atom_intervention_area x
    JOIN coarse c ON c.commune_id = x.commune_id AND c.intervention_id <> x.intervention_id
    UNION ALL
    SELECT a.commune_id, u.area_km2, a.intervention_id, b.intervention_id
    FROM coarse a JOIN coarse b ON b.commune_id = a.commune_id AND a.intervention_id < b.intervention_id
    JOIN regions_adminunit u ON u.id = a.commune_id
  ),
  interventions AS (
    SELECT i.id, i.organisation_id, daterange(i.start_date, i.end_date, '[]') AS period,
           ARRAY(SELECT DISTINCT coalesce(parent.code, t.code)
                 FROM zones_intervention_themes it JOIN taxonomy_theme t ON t.id = it.theme_id
                 LEFT JOIN taxonomy_theme parent ON parent.id = t.parent_id
                 WHERE it.intervention_id = i.id) AS domains
    FROM zones_intervention i
    WHERE i.id = ANY(%(intervention_ids)s::bigint[])
  ),
  pair_communes AS (
    SELECT pp.first_id, pp.second_id, pp.commune_id, sum(pp.area_km2) AS shared_km2,
           sum(pp.area_km2 / c.area_km2 * coalesce(pop.female, 0)) AS women_shared
    FROM pair_pieces pp
    JOIN interventions a ON a.id = pp.first_id
    JOIN interventions b ON b.id = pp.second_id
    JOIN regions_adminunit c ON c.id = pp.commune_id
    LEFT JOIN regions_population pop ON pop.unit_id = c.id AND pop.year = %(year)s
    WHERE a.organisation_id <> b.organisation_id AND a.domains && b.domains AND a.period && b.period
      AND pp.area_km2 > 0
    GROUP BY pp.first_id, pp.second_id, pp.commune_id
  )
"""


# A pair's overlap in a commune is coordinated when the two organisations have an accepted partnership covering
# that commune on every theme domain they overlap on (collaboration app); otherwise it is uncoordinated.
PAIR_COORDINATION = f"""
  partnership_coverage AS ({ACCEPTED_PARTNERSHIP_COVERAGE_SQL}),
  pair_coordination AS (
    SELECT pc.first_id, pc.second_id, pc.commune_id, NOT EXISTS (
             SELECT 1 FROM (SELECT unnest(a.domains) INTERSECT SELECT unnest(b.domains)) AS shared(domain)
             WHERE NOT EXISTS (
               SELECT 1 FROM partnership_coverage cov
               WHERE cov.organisation_a = least(a.organisation_id, b.organisation_id)
                 AND cov.organisation_b = greatest(a.organisation_id, b.organisation_id)
                 AND cov.commune_id = pc.commune_id AND cov.domain = shared.domain)) AS coordinated
    FROM pair_communes pc JOIN interventions a ON a.id = pc.first_id JOIN interventions b ON b.id = pc.second_id
  )
"""


def overlaps(audience: Audience, query: CoverageQuery, *, min_shared_km2: float = 0.01) -> dict:
    """Possible duplication: pairs of interventions of different organisations, on a common theme domain, whose
    zones and periods intersect. Returned three ways: the pairs, per unit of the level, per pair of organisations.
    Each says whether it is `coordinated`: covered by accepted partnerships of the two organisations (a pair or a
    unit only when all of its communes are, a pair of organisations only when all of its pairs are).
    """
    params = selected_zones(audience, query)
    params["min_shared"] = min_shared_km2
    sql = f"""
      WITH {SEL_CTE}, {PIECES}, {OVERLAP_PAIRS},
      commune_unit AS (
        SELECT c.id AS commune_id,
               CASE %(level)s WHEN 3 THEN c.id WHEN 2 THEN c.parent_id WHEN 1 THEN p.parent_id
                    ELSE gp.parent_id END AS unit_id
        FROM regions_adminunit c JOIN regions_adminunit p ON p.id = c.parent_id
        JOIN regions_adminunit gp ON gp.id = p.parent_id
        WHERE c.edition_id = %(edition)s AND c.level = 3
      ),
      {PAIR_COORDINATION}
      SELECT pc.first_id, pc.second_id, u.pcode, u.name, sum(pc.shared_km2), sum(pc.women_shared),
             bool_and(co.coordinated)
      FROM pair_communes pc JOIN commune_unit cu ON cu.commune_id = pc.commune_id
      JOIN pair_coordination co ON co.first_id = pc.first_id AND co.second_id = pc.second_id
                               AND co.commune_id = pc.commune_id
      JOIN regions_adminunit u ON u.id = cu.unit_id
      GROUP BY pc.first_id, pc.second_id, u.pcode, u.name
      ORDER BY pc.first_id, pc.second_id, u.pcode
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _overlap_report(rows, min_shared_km2)


def _overlap_report(rows, min_shared_km2: float) -> dict:
    from geo_backend.zones.models import Intervention

    pairs: dict = {}
    for first_id, second_id, pcode, name, shared, women, coordinated in rows:
        pair = pairs.setdefault((first_id, second_id), {"units": [], "shared_km2": 0.0, "women_shared": 0.0})
        pair["units"].append({"pcode": pcode, "name": name, "shared_km2": shared, "women_shared": women,
                              "coordinated": coordinated})
        pair["shared_km2"] += shared
        pair["women_shared"] += women
    pairs = {key: pair for key, pair in pairs.items() if pair["shared_km2"] >= min_shared_km2}
    ids = {i for key in pairs for i in key}
    interventions = {i.id: i for i in Intervention.objects.filter(id__in=ids).select_related("organisation")
                     .prefetch_related("themes__parent")}
    pair_list, by_unit, by_organisations = [], {}, {}
    for (first_id, second_id), pair in sorted(pairs.items(), key=lambda item: -item[1]["shared_km2"]):
        a, b = interventions[first_id], interventions[second_id]
        domains = sorted({t.parent.code if t.parent else t.code for t in a.themes.all()}
                         & {t.parent.code if t.parent else t.code for t in b.themes.all()})
        period_start = max(filter(None, [a.start_date, b.start_date]), default=None)
        ends = [d for d in (a.end_date, b.end_date) if d]
        period_end = min(ends) if ends else None
        pair_list.append({
            "interventions": [_brief(a), _brief(b)],
            "themes": domains,
            "shared_km2": pair["shared_km2"],
            "women_shared": pair["women_shared"],
            "shared_period": {"start": period_start, "end": period_end},
            "units": pair["units"],
            "coordinated": all(unit["coordinated"] for unit in pair["units"]),
        })
        for unit in pair["units"]:
            entry = by_unit.setdefault(unit["pcode"], {"pcode": unit["pcode"], "name": unit["name"], "pairs": 0,
                                                       "uncoordinated_pairs": 0, "shared_km2": 0.0,
                                                       "women_shared": 0.0})
            entry["pairs"] += 1
            entry["uncoordinated_pairs"] += 0 if unit["coordinated"] else 1
            entry["shared_km2"] += unit["shared_km2"]
            entry["women_shared"] += unit["women_shared"]
        orgs = tuple(sorted([(a.organisation_id, a.organisation.name), (b.organisation_id, b.organisation.name)]))
        entry = by_organisations.setdefault(orgs, {"organisations": [{"id": i, "name": n} for i, n in orgs],
                                                   "pairs": 0, "uncoordinated_pairs": 0, "shared_km2": 0.0,
                                                   "women_shared": 0.0})
        entry["pairs"] += 1
        entry["uncoordinated_pairs"] += 0 if pair_list[-1]["coordinated"] else 1
        entry["shared_km2"] += pair["shared_km2"]
        entry["women_shared"] += pair["women_shared"]
    for entry in [*by_unit.values(), *by_organisations.values()]:
        entry["coordinated"] = entry["uncoordinated_pairs"] == 0
    return {
        "pairs": pair_list,
        "by_unit": sorted(by_unit.values(), key=lambda e: -e["shared_km2"]),
        "by_organisations": sorted(by_organisations.values(), key=lambda e: -e["shared_km2"]),
    }


def _brief(intervention) -> dict:
    return {"id": intervention.id, "title": intervention.title,
            "organisation": {"id": intervention.organisation_id, "name": intervention.organisation.name},
            "start_date": intervention.start_date, "end_date": intervention.end_date}


# --- Facts about the selected interventions ---------------------------------------------------------------------
# The callers pass the intervention ids that selected_zones chose for an audience: these facts follow its rule.


def any_demo(intervention_ids) -> bool:
    """Whether any of these interventions is demo data (then the dashboard says so)."""
    return bool(intervention_ids) and Intervention.objects.filter(id__in=intervention_ids, is_demo=True).exists()


def intervention_themes(intervention_ids) -> list[tuple]:
    """(intervention, organisation, theme code, parent theme code or None) of these interventions; an intervention
    without a theme comes once with None codes."""
    return list(Intervention.objects.filter(id__in=intervention_ids).order_by()
                .values_list("id", "organisation_id", "themes__code", "themes__parent__code"))


def intervention_funders(intervention_ids) -> list[tuple]:
    """(intervention, funder id or None) of these interventions."""
    return list(Intervention.objects.filter(id__in=intervention_ids).order_by().values_list("id", "funders__id"))


def intervention_funder_markers(intervention_ids) -> list[tuple]:
    """(intervention, funder id or None, OECD gender marker or None) of these interventions."""
    return list(Intervention.objects.filter(id__in=intervention_ids).order_by()
                .values_list("id", "funders__id", "gender_marker"))
