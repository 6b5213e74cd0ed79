"""Overlaps: pairs of interventions of different organisations, on a common theme domain and period, whose zones
intersect; read-only, SQL in PostGIS over the coverage atoms, for the zones selectors.selected_zones chose for the
audience (the same counting rules as coverage: a zone seen only coarsely counts as its whole communes).
"""
from itertools import groupby

from geo_backend.collaboration.selectors.partnerships import ACCEPTED_PARTNERSHIP_COVERAGE_SQL
from geo_backend.organisations.access import Audience
from geo_backend.zones.models import Intervention

from .selectors import (
    COMMUNE_UNIT,
    SEL_CTE,
    WHOLE_COMMUNE_PIECE,
    CoverageQuery,
    intervention_themes,
    measure,
    selected_zones,
)

# Which interventions cover whole communes (coarse: seen only coarsely, or a zone covering the commune), and which
# cover which atom elsewhere (an intervention that counts a commune whole is not also counted by its atoms there).
# Atoms are read only in the communes holding two exact pieces or more (elsewhere no two exact footprints meet, and
# one piece is its own area).
#
# Each atom of such a commune is cut down to the selected exact zones it lists (intarray's `&`, the intersection of
# two sorted integer arrays: one C pass per atom, against the commune's selected zones as one array), and the atoms
# with the same selected zones are summed first; only those sums (7,400 for one theme at 20,000 zones, from 245,000
# atoms) are then turned into sets of interventions. Matching each piece to the atoms listing it instead (`@>`, one
# test per piece and atom of its commune) built 718,000 rows and took 3.5 s; matching every atom's list against the
# whole selection (`&&`) took 13 to 19 s. Zone ids are cast to integer for intarray (ids past 2^31 would be refused
# by the cast, not miscounted).
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
  commune_exact_zones AS MATERIALIZED (
    SELECT commune_id, sort(array_agg(zone_id::int)) AS zone_ids FROM exact_pieces
    WHERE commune_id IN (SELECT commune_id FROM atom_communes)
    GROUP BY commune_id
  ),
  zone_sets AS MATERIALIZED (
    SELECT row_number() OVER () AS set_id, commune_id, zone_ids, area_km2
    FROM (
      SELECT c.commune_id, a.zone_ids, sum(a.area_km2) AS area_km2
      FROM commune_exact_zones c
      CROSS JOIN LATERAL (
        SELECT a.zone_ids::int[] & c.zone_ids AS zone_ids, a.area_km2 FROM analytics_coverageatom a
        WHERE a.commune_id = c.commune_id AND a.zone_ids::int[] && c.zone_ids
        OFFSET 0  -- each commune's atoms through its index: a hash join read every atom of the country
      ) a
      GROUP BY 1, 2
    ) AS summed
  ),
  -- Each commune's sets of selected exact interventions with their areas: pairing within these sets instead of
  -- within atoms makes 72,000 pairs instead of 2 million (one theme, 20,000 zones).
  atom_sets AS MATERIALIZED (
    SELECT commune_id, ids, sum(area_km2) AS area_km2
    FROM (
      SELECT zs.commune_id, zs.area_km2, array_agg(DISTINCT p.intervention_id ORDER BY p.intervention_id) AS ids
      FROM zone_sets zs CROSS JOIN LATERAL unnest(zs.zone_ids) AS listed(zone_id)
      JOIN exact_pieces p ON p.zone_id = listed.zone_id AND p.commune_id = zs.commune_id
      GROUP BY zs.set_id, zs.commune_id, zs.area_km2
    ) AS intervention_set
    GROUP BY commune_id, ids
  ),
  -- An intervention's exact footprint in each commune where it is not counted whole (what it shares with a coarse
  -- one there): its one piece's area, or the area of the atoms its pieces cover.
  atom_intervention_area AS (
    SELECT commune_id, intervention_id, sum(area_km2) AS area_km2
    FROM atom_sets CROSS JOIN LATERAL unnest(ids) AS intervention_id
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
    SELECT s.commune_id, s.area_km2, x.id AS first_id, y.id AS second_id
    FROM atom_sets s CROSS JOIN LATERAL unnest(s.ids) AS x(id) CROSS JOIN LATERAL unnest(s.ids) AS y(id)
    WHERE x.id < y.id
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
  -- Summed per pair and commune before the pairs are matched with their interventions: joining each of the
  -- 90,000 pieces (one theme, 20,000 zones) to both interventions first led the planner to pair every two
  -- selected interventions (1.5 million rows) and look the pieces up in that.
  pair_sums AS MATERIALIZED (
    SELECT first_id, second_id, commune_id, sum(area_km2) AS shared_km2 FROM pair_pieces
    WHERE area_km2 > 0 GROUP BY first_id, second_id, commune_id
  ),
  -- Each commune's unit at the measured level, area and women, once (looked up per pair and commune, the 30,000
  -- rows of one theme at 20,000 zones made 90,000 index look-ups).
  commune_facts AS MATERIALIZED (
    SELECT cu.commune_id, cu.unit_id, c.area_km2, coalesce(pop.female, 0) AS women
    FROM commune_unit cu JOIN regions_adminunit c ON c.id = cu.commune_id
    LEFT JOIN regions_population pop ON pop.unit_id = c.id AND pop.year = %(year)s
  ),
  pair_communes AS (
    SELECT ps.first_id, ps.second_id, ps.commune_id, cf.unit_id, ps.shared_km2,
           ps.shared_km2 / cf.area_km2 * cf.women AS women_shared,
           least(a.organisation_id, b.organisation_id) AS organisation_a,
           greatest(a.organisation_id, b.organisation_id) AS organisation_b,
           a.domains AS first_domains, b.domains AS second_domains
    FROM pair_sums ps
    JOIN interventions a ON a.id = ps.first_id
    JOIN interventions b ON b.id = ps.second_id
    JOIN commune_facts cf ON cf.commune_id = ps.commune_id
    WHERE a.organisation_id <> b.organisation_id AND a.domains && b.domains AND a.period && b.period
  )
"""


# A pair's overlap in a commune is coordinated when the two organisations have an accepted partnership covering
# that commune on every theme domain they overlap on (collaboration app); otherwise it is uncoordinated. Most pairs
# of organisations have no accepted partnership at all: they are uncoordinated without looking at domains.
PAIR_COORDINATION = f"""
  partnership_coverage AS MATERIALIZED ({ACCEPTED_PARTNERSHIP_COVERAGE_SQL}),
  partnered AS MATERIALIZED (SELECT DISTINCT organisation_a, organisation_b FROM partnership_coverage),
  pair_coordination AS (
    SELECT pc.*, CASE
             WHEN NOT EXISTS (SELECT 1 FROM partnered pp WHERE pp.organisation_a = pc.organisation_a
                                                           AND pp.organisation_b = pc.organisation_b) THEN false
             ELSE NOT EXISTS (
               SELECT 1 FROM (SELECT unnest(pc.first_domains) INTERSECT SELECT unnest(pc.second_domains))
                             AS shared(domain)
               WHERE NOT EXISTS (
                 SELECT 1 FROM partnership_coverage cov
                 WHERE cov.organisation_a = pc.organisation_a AND cov.organisation_b = pc.organisation_b
                   AND cov.commune_id = pc.commune_id AND cov.domain = shared.domain))
           END AS coordinated
    FROM pair_communes pc
  )
"""


def overlaps(audience: Audience, query: CoverageQuery, *, min_shared_km2: float = 0.01) -> dict:
    """Possible duplication: pairs of interventions of different organisations, on a common theme domain, whose
    zones and periods intersect. Returned three ways: the pairs, per unit of the level, per pair of organisations.
    Each says whether it is `coordinated`: covered by accepted partnerships of the two organisations (a pair or a
    unit only when all of its communes are, a pair of organisations only when all of its pairs are).
    """
    params = selected_zones(audience, query)
    sql = f"""
      WITH {SEL_CTE}, {PIECES}, {COMMUNE_UNIT}, {OVERLAP_PAIRS}, {PAIR_COORDINATION}
      SELECT pc.first_id, pc.second_id, u.pcode, u.name, sum(pc.shared_km2), sum(pc.women_shared),
             bool_and(pc.coordinated)
      FROM pair_coordination pc JOIN regions_adminunit u ON u.id = pc.unit_id
      GROUP BY pc.first_id, pc.second_id, u.pcode, u.name
      ORDER BY pc.first_id, pc.second_id, u.pcode
    """
    rows, _columns = measure(sql, params)
    return _overlap_report(rows, min_shared_km2)


def _overlap_report(rows, min_shared_km2: float) -> dict:
    # The rows come ordered by pair: each pair's communes are consecutive. (Plain loops without a default dict built
    # per row: for one theme at 20,000 zones, 30,000 rows and 13,000 pairs, the report took 0.65 s.)
    pairs: dict = {}
    for key, communes in groupby(rows, key=lambda row: (row[0], row[1])):
        units = [{"pcode": pcode, "name": name, "shared_km2": shared, "women_shared": women,
                  "coordinated": coordinated} for _first, _second, pcode, name, shared, women, coordinated in communes]
        shared_km2 = sum(unit["shared_km2"] for unit in units)
        if shared_km2 >= min_shared_km2:
            pairs[key] = (units, shared_km2, sum(unit["women_shared"] for unit in units),
                          all(unit["coordinated"] for unit in units))
    interventions = _intervention_briefs({i for key in pairs for i in key})
    pair_list, by_unit, by_organisations = [], {}, {}
    for (first_id, second_id), (units, shared_km2, women_shared, coordinated) in sorted(
            pairs.items(), key=lambda item: -item[1][1]):
        (a, a_domains), (b, b_domains) = interventions[first_id], interventions[second_id]
        starts = [d for d in (a["start_date"], b["start_date"]) if d]
        ends = [d for d in (a["end_date"], b["end_date"]) if d]
        pair_list.append({
            "interventions": [a, b],
            "themes": sorted(a_domains & b_domains),
            "shared_km2": shared_km2,
            "women_shared": women_shared,
            "shared_period": {"start": max(starts) if starts else None, "end": min(ends) if ends else None},
            "units": units,
            "coordinated": coordinated,
        })
        for unit in units:
            entry = by_unit.get(unit["pcode"])
            if entry is None:
                entry = by_unit[unit["pcode"]] = {"pcode": unit["pcode"], "name": unit["name"], "pairs": 0,
                                                  "uncoordinated_pairs": 0, "shared_km2": 0.0, "women_shared": 0.0}
            _add_pair(entry, unit["coordinated"], unit["shared_km2"], unit["women_shared"])
        orgs = tuple(sorted([(a["organisation"]["id"], a["organisation"]["name"]),
                             (b["organisation"]["id"], b["organisation"]["name"])]))
        entry = by_organisations.get(orgs)
        if entry is None:
            entry = by_organisations[orgs] = {"organisations": [{"id": i, "name": n} for i, n in orgs], "pairs": 0,
                                              "uncoordinated_pairs": 0, "shared_km2": 0.0, "women_shared": 0.0}
        _add_pair(entry, coordinated, shared_km2, women_shared)
    for entry in [*by_unit.values(), *by_organisations.values()]:
        entry["coordinated"] = entry["uncoordinated_pairs"] == 0
    return {
        "pairs": pair_list,
        "by_unit": sorted(by_unit.values(), key=lambda e: -e["shared_km2"]),
        "by_organisations": sorted(by_organisations.values(), key=lambda e: -e["shared_km2"]),
    }


def _add_pair(entry: dict, coordinated: bool, shared_km2: float, women_shared: float) -> None:
    entry["pairs"] += 1
    entry["uncoordinated_pairs"] += 0 if coordinated else 1
    entry["shared_km2"] += shared_km2
    entry["women_shared"] += women_shared


def _intervention_briefs(ids: set) -> dict[int, tuple[dict, set]]:
    """Each intervention's summary and theme domains, read once (per pair, the related managers alone took a second
    for the 13,000 pairs of one theme at 20,000 zones); the domains from one list of codes (a prefetch of the themes
    cost 0.4 s more: each intervention's `themes.all()` copied the prefetch's query)."""
    found = {}
    for pk, title, organisation_id, organisation_name, start_date, end_date in (
            Intervention.objects.filter(id__any=ids).values_list(
                "id", "title", "organisation_id", "organisation__name", "start_date", "end_date")):
        found[pk] = ({"id": pk, "title": title, "organisation": {"id": organisation_id, "name": organisation_name},
                      "start_date": start_date, "end_date": end_date}, set())
    for intervention_id, _organisation, code, parent_code in intervention_themes(list(found)):
        if code is not None:
            found[intervention_id][1].add(parent_code or code)
    return found
