"""Coverage, gaps and overlaps: read-only selectors, SQL in PostGIS over the coverage atoms.

Every measure is computed only from the zones the audience may count (organisations/access/, for_analytics): a
visitor's coarse zones count as whole communes and restricted ones not at all; coordinators of active networks,
administrators and donors count all of them exactly (figures only: the records stay behind the records rule).
Only validated interventions count unless the filters say otherwise.
"""
import contextlib
import dataclasses
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import connection, transaction

from geo_backend.organisations.access import Audience, precise_geometry_sql
from geo_backend.regions.models import Edition
from geo_backend.zones.models import Intervention
from geo_backend.zones.selectors import InterventionFilters, interventions_visible

from .budget import bound_statements

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

# Each commune of the edition with the unit of the measured level that holds it (itself at level 3).
COMMUNE_UNIT = """commune_unit AS (
    SELECT c.id AS commune_id,
           CASE %(level)s WHEN 3 THEN c.id WHEN 2 THEN c.parent_id WHEN 1 THEN p.parent_id ELSE gp.parent_id END
             AS unit_id
    FROM regions_adminunit c
    JOIN regions_adminunit p ON p.id = c.parent_id
    JOIN regions_adminunit gp ON gp.id = p.parent_id
    WHERE c.edition_id = %(edition)s AND c.level = 3
  )"""

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
  {COMMUNE_UNIT}
"""


def measure(sql: str, params: dict) -> tuple[list, list[str]]:
    """Runs one measuring statement within the coverage budget (budget.py); returns the rows and the column names."""
    with transaction.atomic(), connection.cursor() as cursor:
        bound_statements(cursor)
        cursor.execute(sql, params)
        return cursor.fetchall(), [c.name for c in cursor.description]


@dataclass
class CoverageQuery:
    """What to measure: admin level (0 country … 3 commune) of an edition, and which interventions count."""

    edition: Edition
    level: int = 2
    filters: InterventionFilters = dataclasses.field(default_factory=InterventionFilters)
    include_unvalidated: bool = False


# Within one question (one_selection_per_question), the selections already made: {key: columns}.
_selections: ContextVar[dict | None] = ContextVar("musoya_selections", default=None)


@contextlib.contextmanager
def one_selection_per_question():
    """Within this block, the same audience and filters select their zones once: a dashboard callback measures the
    same selection for its map, its table and its summary (at 20,000 zones, 14,000 zones selected each time took
    ~80 ms). Only for one read-only question: a write inside the block would not be seen."""
    token = _selections.set({})
    try:
        yield
    finally:
        _selections.reset(token)


def selected_zones(audience: Audience, query: CoverageQuery) -> dict:
    """The zones that count for this audience and query, with their intervention, organisation and whether the
    audience sees them exactly; as named parameters for the measuring queries."""
    made = _selections.get()
    key = (audience, query.edition.id, query.include_unvalidated, repr(query.filters))
    columns = made.get(key) if made is not None else None
    if columns is None:
        columns = _select(audience, query)
        if made is not None:
            made[key] = columns
    return {
        "zone_ids": list(columns[0]), "intervention_ids": list(columns[1]), "organisation_ids": list(columns[2]),
        "precise": list(columns[3]), "edition": query.edition.id, "level": query.level, "year": POPULATION_YEAR,
    }


def _select(audience: Audience, query: CoverageQuery) -> list[tuple]:
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
    return list(zip(*rows, strict=True)) if rows else [(), (), (), ()]


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
    values, columns = measure(sql, params)
    rows = [dict(zip(columns, row, strict=True)) for row in values]
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


# --- Facts about the selected interventions ---------------------------------------------------------------------
# The callers pass the intervention ids that selected_zones chose for an audience: these facts follow its rule.


def any_demo(intervention_ids) -> bool:
    """Whether any of these interventions is demo data (then the dashboard says so)."""
    return bool(intervention_ids) and Intervention.objects.filter(id__any=intervention_ids, is_demo=True).exists()


def intervention_themes(intervention_ids) -> list[tuple]:
    """(intervention, organisation, theme code, parent theme code or None) of these interventions; an intervention
    without a theme comes once with None codes."""
    return list(Intervention.objects.filter(id__any=intervention_ids).order_by()
                .values_list("id", "organisation_id", "themes__code", "themes__parent__code"))


def intervention_funders(intervention_ids) -> list[tuple]:
    """(intervention, funder id or None) of these interventions."""
    return list(Intervention.objects.filter(id__any=intervention_ids).order_by().values_list("id", "funders__id"))


def intervention_funder_markers(intervention_ids) -> list[tuple]:
    """(intervention, funder id or None, OECD gender marker or None) of these interventions."""
    return list(Intervention.objects.filter(id__any=intervention_ids).order_by()
                .values_list("id", "funders__id", "gender_marker"))
