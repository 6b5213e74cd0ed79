"""Roll-ups: the national coverage of many groups of interventions at once (per network, per funder, per year).

One measuring statement for all the groups of a view, instead of one coverage query per group: the zones are
selected once for the audience and the filters (selectors.selected_zones), each selected intervention is put in its
groups (zones/selectors.intervention_groups: the same rules as the network and funder filters), and one pass over
the coverage atoms those zones cover sums, per group, the area and the women covered. Each group's figures are the
ones coverage_by_unit gives at level 0 with that group as a filter (tests/analytics/test_rollups.py).
"""
import dataclasses
import datetime as dt
from collections.abc import Callable

from geo_backend.organisations.access import Audience
from geo_backend.zones.selectors import intervention_groups, intervention_periods

from .selectors import SEL_CTE, WHOLE_COMMUNE_PIECE, CoverageQuery, measure, selected_zones

FIGURES = ("organisations", "interventions", "covered_km2", "coverage_share", "women", "women_covered",
           "women_share_covered", "population_covered")

# Per group: the selected zones of its interventions; the atoms covered by at least one of its exact zones, once
# each; the communes it counts whole (coarse zones, zones covering a whole commune: selectors.WHOLE_COMMUNE_PIECE);
# each touched commune's covered share; then the sums.
GROUP_COVERAGE = f"""
  WITH {SEL_CTE},
  membership AS (
    SELECT * FROM unnest(%(group_ids)s::bigint[], %(member_ids)s::bigint[]) AS m(group_id, intervention_id)
  ),
  group_sel AS (SELECT m.group_id, sel.* FROM membership m JOIN sel ON sel.intervention_id = m.intervention_id),
  coarse AS MATERIALIZED (
    SELECT DISTINCT gs.group_id, zc.commune_id
    FROM group_sel gs JOIN zones_zonecommune zc ON zc.zone_id = gs.zone_id
    WHERE {WHOLE_COMMUNE_PIECE.format(sel="gs", piece="zc")}
  ),
  -- Where the group does not count a commune whole, its covered area there: the area of its one partial piece
  -- when it has one (no atom needed), else the atoms any of its pieces cover, each once. Reading every atom of the
  -- country and matching its zones against the whole selection took 28 s for the networks at 20,000 zones.
  group_pieces AS MATERIALIZED (
    SELECT DISTINCT gs.group_id, zc.commune_id, zc.zone_id, zc.area_km2
    FROM group_sel gs JOIN zones_zonecommune zc ON zc.zone_id = gs.zone_id
    WHERE gs.precise AND NOT zc.covers_commune
      AND NOT EXISTS (SELECT 1 FROM coarse co WHERE co.group_id = gs.group_id AND co.commune_id = zc.commune_id)
  ),
  group_communes AS MATERIALIZED (
    SELECT group_id, commune_id, count(*) AS pieces, max(area_km2) AS one_piece_km2
    FROM group_pieces GROUP BY group_id, commune_id
  ),
  -- Each group's zones in a commune as one array: the commune's atoms are read once per group and those listing any
  -- of them summed, each once (one look-up per zone read the commune's atoms as many times, then had to sort
  -- 160,000 rows to count each atom once: a second for the networks of one theme at 20,000 zones).
  group_zone_sets AS (
    SELECT gp.group_id, gp.commune_id, array_agg(gp.zone_id) AS zone_ids
    FROM group_pieces gp JOIN group_communes gc USING (group_id, commune_id)
    WHERE gc.pieces > 1
    GROUP BY gp.group_id, gp.commune_id
  ),
  atom_cover AS (
    SELECT g.group_id, g.commune_id, covered.km2 AS covered_km2
    FROM group_zone_sets g
    CROSS JOIN LATERAL (
      SELECT sum(a.area_km2) AS km2 FROM analytics_coverageatom a
      WHERE a.zone_ids && g.zone_ids AND a.commune_id = g.commune_id
    ) covered
    UNION ALL
    SELECT group_id, commune_id, one_piece_km2 FROM group_communes WHERE pieces = 1
  ),
  touched AS (SELECT group_id, commune_id FROM atom_cover UNION SELECT group_id, commune_id FROM coarse),
  cover AS (
    SELECT t.group_id, c.area_km2, coalesce(pop.female, 0) AS women, coalesce(pop.total, 0) AS population,
           CASE WHEN co.commune_id IS NOT NULL THEN 1.0
                ELSE LEAST(1.0, coalesce(ac.covered_km2, 0) / c.area_km2) END AS share
    FROM touched t
    JOIN regions_adminunit c ON c.id = t.commune_id AND c.edition_id = %(edition)s AND c.level = 3
    LEFT JOIN atom_cover ac ON ac.group_id = t.group_id AND ac.commune_id = t.commune_id
    LEFT JOIN coarse co ON co.group_id = t.group_id AND co.commune_id = t.commune_id
    LEFT JOIN regions_population pop ON pop.unit_id = c.id AND pop.year = %(year)s
  ),
  covered AS (
    SELECT group_id, sum(share * area_km2) AS covered_km2, sum(share * women) AS women_covered,
           sum(share * population) AS population_covered
    FROM cover GROUP BY group_id
  ),
  -- Which selected zones reach a commune of the edition, asked once per zone (asked per group and zone, the
  -- look-up hashed every commune piece of the country: 70 ms of the networks' 0.4 s for one theme at 20,000 zones).
  presence AS (
    SELECT gs.group_id, count(DISTINCT gs.organisation_id) AS organisations,
           count(DISTINCT gs.intervention_id) AS interventions
    FROM group_sel gs
    WHERE gs.zone_id IN (SELECT zc.zone_id FROM sel JOIN zones_zonecommune zc ON zc.zone_id = sel.zone_id
                         JOIN regions_adminunit c ON c.id = zc.commune_id
                         WHERE c.edition_id = %(edition)s AND c.level = 3)
    GROUP BY gs.group_id
  ),
  country AS (
    SELECT sum(c.area_km2) AS area_km2, sum(coalesce(pop.female, 0)) AS women,
           sum(coalesce(pop.total, 0)) AS population
    FROM regions_adminunit c LEFT JOIN regions_population pop ON pop.unit_id = c.id AND pop.year = %(year)s
    WHERE c.edition_id = %(edition)s AND c.level = 3
  )
  SELECT g.group_id, coalesce(pr.organisations, 0), coalesce(pr.interventions, 0),
         coalesce(cv.covered_km2, 0), country.area_km2, country.women, coalesce(cv.women_covered, 0),
         coalesce(cv.population_covered, 0)
  FROM unnest(%(all_groups)s::bigint[]) AS g(group_id) CROSS JOIN country
  LEFT JOIN covered cv ON cv.group_id = g.group_id
  LEFT JOIN presence pr ON pr.group_id = g.group_id
"""


def coverage_of_groups(audience: Audience, query: CoverageQuery, membership: Callable[[set], list[tuple[int, int]]],
                       groups: list[int]) -> dict[int, dict]:
    """Country figures per group, for the groups given (a group without any selected intervention gets zeros).
    `membership(intervention_ids)` pairs each of these selected interventions with its groups; the query's own
    filters apply to every group."""
    params = selected_zones(audience, query)
    pairs = membership(set(params["intervention_ids"]))
    params.update(group_ids=[g for g, _ in pairs], member_ids=[i for _, i in pairs], all_groups=list(groups))
    rows, _columns = measure(GROUP_COVERAGE, params)
    results = {}
    for group, organisations, interventions, covered, area, women, women_covered, population_covered in rows:
        results[group] = {
            "organisations": organisations, "interventions": interventions, "covered_km2": covered,
            "coverage_share": covered / area if area else 0.0, "women": women or 0.0,
            "women_covered": women_covered, "women_share_covered": women_covered / women if women else 0.0,
            "population_covered": population_covered}
    return results


def coverage_rollup(audience: Audience, query: CoverageQuery, *, by: str) -> list[dict]:
    """National coverage per network (its members' interventions together) or per funder, every active network
    (or every funder) listed, by name."""
    from geo_backend.organisations.models import Organisation
    from geo_backend.taxonomy.models import Funder

    if by == "network":
        groups = [(o.id, o.name) for o in Organisation.objects.filter(kind__in=Organisation.NETWORK_KINDS,
                                                                      status="active").order_by("name")]
    else:
        groups = list(Funder.objects.order_by("name").values_list("id", "name"))
    # Each group stands for the filter on that network (or funder), whichever one the query named.
    query = dataclasses.replace(query, level=0, filters=dataclasses.replace(query.filters, **{by: None}))
    ids = [group_id for group_id, _ in groups]
    figures = coverage_of_groups(audience, query, lambda selected: intervention_groups(selected, by=by, groups=ids),
                                 ids)
    return [{by: {"id": group_id, "name": name}, **{k: figures[group_id][k] for k in FIGURES if k != "women"}}
            for group_id, name in groups]


def coverage_by_year(audience: Audience, query: CoverageQuery, years: list[int]) -> dict[int, dict]:
    """Per year: the country's coverage by the interventions active in it (any day of the year), for the query's
    other filters (its own period is replaced by each year)."""
    filters = dataclasses.replace(query.filters, active_on=None, active_from=None, active_to=None)
    query = dataclasses.replace(query, level=0, filters=filters)

    def active_in(selected: set) -> list[tuple[int, int]]:  # the rule of InterventionFilters.active_from/to
        return [(year, intervention_id) for intervention_id, start, end in intervention_periods(selected)
                for year in years
                if (start is None or start <= dt.date(year, 12, 31)) and (end is None or end >= dt.date(year, 1, 1))]

    return coverage_of_groups(audience, query, active_in, list(years))
