"""Edge cases of the coverage analytics: borders (of Mali, between zones, between communes), open-ended periods,
interventions in two regions, and keeping the coverage atoms fresh (incremental refresh against full rebuild)."""
import datetime as dt
from io import StringIO

import pytest
import shapely
from django.core.management import call_command
from django.db import connection
from shapely.geometry import shape

from geo_backend.analytics import atom_edits, overlaps, selectors, services
from geo_backend.organisations.access import VISITOR, Audience
from geo_backend.regions.models import AdminUnit
from geo_backend.taxonomy.models import Theme
from geo_backend.zones import services as zone_services
from geo_backend.zones.models import Intervention, Zone
from geo_backend.zones.selectors import InterventionFilters
from tests import factories

from .grid_setup import NW_WEST_HALF, NW_WHOLE, WOMEN_PER_COMMUNE, X0, Y0, declared, grid_edition, rectangle
from .reference import Reference, Selection, geodesic_area_km2

pytestmark = pytest.mark.django_db
FULL = Audience(user_id=-1, is_admin=True)
NW, NE, SW, SE = "ZZ010101", "ZZ010102", "ZZ010103", "ZZ010104"


def by_pcode(rows) -> dict:
    return {row["pcode"]: row for row in rows}


def coverage(audience, edition, level, **filters) -> dict:
    query = selectors.CoverageQuery(edition=edition, level=level, filters=InterventionFilters(**filters))
    return by_pcode(selectors.coverage_by_unit(audience, query))


def admin() -> Audience:
    return Audience(user_id=factories.user(superuser=True).pk, is_admin=True)


def atoms(edition) -> list[tuple]:
    """(commune P-code, zone ids, area) of every coverage atom of the edition, sorted."""
    with connection.cursor() as cursor:
        cursor.execute("""SELECT c.pcode, a.zone_ids, a.area_km2 FROM analytics_coverageatom a
                          JOIN regions_adminunit c ON c.id = a.commune_id WHERE c.edition_id = %s
                          ORDER BY c.pcode, a.zone_ids, a.area_km2""", [edition.id])
        return cursor.fetchall()


def area_per_zone_set(edition) -> dict:
    """The atoms' area per commune and list of zones: what every measure sums (the atoms themselves may be cut
    differently by the incremental path and by a rebuild)."""
    totals: dict = {}
    for pcode, zones, area in atoms(edition):
        totals[(pcode, tuple(zones))] = totals.get((pcode, tuple(zones)), 0.0) + area
    return totals


def atom_area_per_commune(edition) -> dict:
    totals: dict = {}
    for pcode, _zones, area in atoms(edition):
        totals[pcode] = totals.get(pcode, 0.0) + area
    return totals


# --- Mali's border ---------------------------------------------------------------------------------------

# A rectangle across Mali's western border (Kayes region, with Senegal and Mauritania).
ACROSS_THE_BORDER = rectangle(-12.9, 14.3, -11.9, 14.9)


@pytest.mark.realdata
def test_a_zone_crossing_malis_border_covers_only_its_part_inside_mali(mali):
    declared(factories.organisation(), ACROSS_THE_BORDER, edition=mali, theme="paix-securite")
    reference = Reference(mali.id)
    inside = shapely.intersection(shape(ACROSS_THE_BORDER), reference.communes.union_all())
    drawn_km2, inside_km2 = geodesic_area_km2([shape(ACROSS_THE_BORDER), inside])
    assert 0.1 * drawn_km2 < inside_km2 < 0.9 * drawn_km2  # really across the border
    (zone,) = Zone.objects.filter(intervention__themes__code="paix-securite", edition=mali)
    assert zone.area_km2 == pytest.approx(inside_km2, rel=1e-6)
    (country,) = coverage(VISITOR, mali, 0, themes=["paix-securite"]).values()
    assert country["covered_km2"] == pytest.approx(inside_km2, rel=1e-3)
    communes = coverage(VISITOR, mali, 3, themes=["paix-securite"])
    assert all(row["covered_km2"] <= row["area_km2"] * (1 + 1e-9) for row in communes.values())
    assert sum(row["covered_km2"] for row in communes.values()) == pytest.approx(inside_km2, rel=1e-3)


def test_a_zone_partly_outside_the_grid_counts_its_part_inside(tmp_path):
    edition = grid_edition(tmp_path)
    # West half outside the country (the grid), east half = the west half of the north-west commune.
    declared(factories.organisation(), rectangle(X0 - 0.25, Y0 + 0.5, X0 + 0.25, Y0 + 1.0), edition=edition)
    communes = coverage(VISITOR, edition, 3)
    assert communes[NW]["women_covered"] == pytest.approx(WOMEN_PER_COMMUNE / 2, rel=1e-3)
    assert communes[NW]["coverage_share"] == pytest.approx(0.5, rel=1e-3)
    assert sum(row["women_covered"] for row in communes.values()) == pytest.approx(WOMEN_PER_COMMUNE / 2, rel=1e-3)


# --- Zones on shared borders -----------------------------------------------------------------------------


def test_adjacent_zones_add_up_and_do_not_overlap(tmp_path):
    edition = grid_edition(tmp_path)
    period = {"start_date": dt.date(2024, 1, 1), "end_date": dt.date(2025, 12, 31)}
    # Two rectangles sharing their edge x = X0 + 0.7, both across the commune borders.
    west = declared(factories.organisation(), rectangle(X0 + 0.2, Y0 + 0.2, X0 + 0.7, Y0 + 0.8), edition=edition,
                    **period)
    east = declared(factories.organisation(), rectangle(X0 + 0.7, Y0 + 0.2, X0 + 0.9, Y0 + 0.8), edition=edition,
                    **period)
    zone_areas = sum(Zone.objects.filter(intervention__in=[west, east]).values_list("area_km2", flat=True))
    communes = coverage(VISITOR, edition, 3)
    # Not 1e-9: cut at the commune borders, the zones' east-west edges get vertices that move geodesic areas a bit.
    assert sum(row["covered_km2"] for row in communes.values()) == pytest.approx(zone_areas, rel=1e-4)
    # 0.4° x 0.3° of the 0.5° x 0.5° NE commune: 48 % of its women.
    assert communes[NE]["women_covered"] == pytest.approx(0.48 * WOMEN_PER_COMMUNE, rel=1e-3)
    assert communes[NE]["organisations"] == 2
    report = overlaps.overlaps(VISITOR, selectors.CoverageQuery(edition=edition, level=3), min_shared_km2=0)
    assert report == {"pairs": [], "by_unit": [], "by_organisations": []}
    west_zone, east_zone = (Zone.objects.get(intervention=i).id for i in (west, east))
    assert not [a for a in atoms(edition) if west_zone in a[1] and east_zone in a[1]]


def test_a_zone_whose_edge_is_a_commune_border_is_not_in_the_neighbouring_commune(tmp_path):
    edition = grid_edition(tmp_path)
    declared(factories.organisation(), NW_WHOLE, edition=edition)
    communes = coverage(VISITOR, edition, 3)
    assert communes[NW]["coverage_share"] == pytest.approx(1.0, rel=1e-9)
    for neighbour in (NE, SW, SE):
        assert communes[neighbour]["covered_km2"] == 0 and communes[neighbour]["organisations"] == 0
    assert [g["pcode"] for g in selectors.gaps(VISITOR, selectors.CoverageQuery(edition=edition, level=3))] == [
        NE, SW, SE]


# --- Periods ---------------------------------------------------------------------------------------------


def test_open_ended_interventions_are_active_on_any_later_day_and_overlap_later_ones(tmp_path):
    edition = grid_edition(tmp_path)
    open_ended = declared(factories.organisation(), NW_WHOLE, edition=edition, start_date=dt.date(2020, 1, 1))
    later = declared(factories.organisation(), NW_WEST_HALF, edition=edition, theme="vbg-prevention",
                     start_date=dt.date(2030, 1, 1), end_date=dt.date(2031, 12, 31))
    assert coverage(VISITOR, edition, 3, active_on=dt.date(2099, 12, 31))[NW]["women_covered"] == pytest.approx(
        WOMEN_PER_COMMUNE, rel=1e-4)
    assert coverage(VISITOR, edition, 3, active_on=dt.date(2019, 12, 31))[NW]["women_covered"] == 0
    assert selectors.coverage_change(VISITOR, selectors.CoverageQuery(edition=edition, level=3),
                                     before=dt.date(2021, 1, 1), after=dt.date(2099, 1, 1)) == []
    (pair,) = overlaps.overlaps(VISITOR, selectors.CoverageQuery(edition=edition, level=3))["pairs"]
    assert [i["id"] for i in pair["interventions"]] == sorted([open_ended.id, later.id])
    assert pair["shared_period"] == {"start": dt.date(2030, 1, 1), "end": dt.date(2031, 12, 31)}
    assert pair["women_shared"] == pytest.approx(WOMEN_PER_COMMUNE / 2, rel=1e-3)


def test_an_intervention_without_any_dates_is_always_active(tmp_path):
    edition = grid_edition(tmp_path)
    declared(factories.organisation(), NW_WEST_HALF, edition=edition)
    for day in (dt.date(1990, 1, 1), dt.date(2100, 1, 1)):
        assert coverage(VISITOR, edition, 3, active_on=day)[NW]["women_covered"] == pytest.approx(500, rel=1e-3)


# --- An intervention in two regions ----------------------------------------------------------------------

SIKASSO_SQUARE = rectangle(-5.8, 11.2, -5.6, 11.4)  # inside Sikasso region (ML03)
SEGOU_SQUARE = rectangle(-6.3, 13.4, -6.2, 13.5)  # inside Ségou region (ML04)


@pytest.mark.realdata
def test_an_intervention_with_zones_in_two_regions_counts_once_in_the_country_and_once_in_each(mali):
    audience = admin()
    intervention = zone_services.intervention_create(
        audience=audience, organisation=factories.organisation(), fields={"title": "Deux régions"},
        relations={"themes": [Theme.objects.get(code="paix-securite")]})
    for square in (SIKASSO_SQUARE, SEGOU_SQUARE):
        zone_services.zone_create(audience=audience, intervention=intervention, method="drawn", geometry=square)
    Intervention.objects.filter(pk=intervention.pk).update(validation_state="validated")
    sikasso_km2, segou_km2 = geodesic_area_km2([shape(SIKASSO_SQUARE), shape(SEGOU_SQUARE)])

    (country,) = coverage(VISITOR, mali, 0, themes=["paix-securite"]).values()
    assert (country["interventions"], country["organisations"]) == (1, 1)
    assert country["covered_km2"] == pytest.approx(sikasso_km2 + segou_km2, rel=1e-3)
    regions = coverage(VISITOR, mali, 1, themes=["paix-securite"])
    assert {pcode for pcode, row in regions.items() if row["interventions"]} == {"ML03", "ML04"}
    assert (regions["ML03"]["interventions"], regions["ML04"]["interventions"]) == (1, 1)
    assert regions["ML03"]["covered_km2"] == pytest.approx(sikasso_km2, rel=1e-3)
    assert regions["ML04"]["covered_km2"] == pytest.approx(segou_km2, rel=1e-3)


# --- Keeping the atoms fresh -----------------------------------------------------------------------------


def test_moving_a_zone_refreshes_only_the_communes_it_left_and_entered(tmp_path, monkeypatch):
    edition = grid_edition(tmp_path)
    moving = declared(factories.organisation(), NW_WEST_HALF, edition=edition)
    declared(factories.organisation(), rectangle(X0, Y0, X0 + 0.25, Y0 + 0.5), edition=edition)  # stays in SW
    untouched_before = [a for a in atoms(edition) if a[0] == SW]
    with connection.cursor() as cursor:
        cursor.execute("SELECT a.id FROM analytics_coverageatom a JOIN regions_adminunit c ON c.id = a.commune_id "
                       "WHERE c.pcode = %s AND c.edition_id = %s ORDER BY a.id", [SW, edition.id])
        untouched_ids = cursor.fetchall()
    placed = []

    def spy(zone_id, *, left=(), entered):
        placed.append((set(left), set(entered)))
        return atom_edits.coverage_atoms_place_zone(zone_id, left=left, entered=entered)

    monkeypatch.setattr(zone_services, "coverage_atoms_place_zone", spy)
    zone = Zone.objects.get(intervention=moving)
    zone_services.zone_update(audience=admin(), zone=zone, expected_version=zone.version, method="drawn",
                              geometry=rectangle(X0 + 0.5, Y0, X0 + 0.75, Y0 + 0.5))  # west half of SE
    Intervention.objects.filter(pk=moving.pk).update(validation_state="validated")  # a change needs validation

    communes = {u.id: u.pcode for u in AdminUnit.objects.filter(edition=edition, level=3)}
    assert [({communes[i] for i in left}, {communes[i] for i in entered}) for left, entered in placed] == [
        ({NW}, {SE})]
    after = coverage(VISITOR, edition, 3)
    assert after[NW]["women_covered"] == 0 and after[NW]["organisations"] == 0
    assert after[SE]["women_covered"] == pytest.approx(WOMEN_PER_COMMUNE / 2, rel=1e-3)
    assert after[SW]["women_covered"] == pytest.approx(WOMEN_PER_COMMUNE / 2, rel=1e-3)
    with connection.cursor() as cursor:
        cursor.execute("SELECT a.id FROM analytics_coverageatom a JOIN regions_adminunit c ON c.id = a.commune_id "
                       "WHERE c.pcode = %s AND c.edition_id = %s ORDER BY a.id", [SW, edition.id])
        assert cursor.fetchall() == untouched_ids  # the same rows, not recomputed
    assert [a for a in atoms(edition) if a[0] == SW] == untouched_before


def rebuild_in_this_transaction() -> None:
    """The tests run inside a transaction, where the atoms' deferred foreign-key checks are still pending and
    forbid TRUNCATE; run them now (in production the rebuild is its own transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def edit_a_few_zones(edition):
    """Creates, moves and deletes zones through the services (the incremental path)."""
    audience = admin()
    declared(factories.organisation(), NW_WEST_HALF, edition=edition)
    crossing = declared(factories.organisation(), rectangle(X0 + 0.3, Y0 + 0.3, X0 + 0.7, Y0 + 0.8),
                        edition=edition)
    doomed = declared(factories.organisation(), rectangle(X0 + 0.6, Y0 + 0.1, X0 + 0.9, Y0 + 0.4),
                      edition=edition)
    zone = Zone.objects.get(intervention=crossing)
    zone_services.zone_update(audience=audience, zone=zone, expected_version=zone.version, method="drawn",
                              geometry=rectangle(X0 + 0.1, Y0 + 0.2, X0 + 0.6, Y0 + 0.6))
    zone = Zone.objects.get(intervention=doomed)
    zone_services.zone_delete(audience=audience, zone=zone, expected_version=zone.version)
    return crossing


def test_rebuild_coverage_gives_the_same_atoms_as_the_incremental_path(tmp_path):
    edition = grid_edition(tmp_path)
    edit_a_few_zones(edition)
    incremental = area_per_zone_set(edition)
    assert {pcode for pcode, _zones in incremental} == {NW, NE, SW, SE}
    out = StringIO()
    rebuild_in_this_transaction()
    call_command("rebuild_coverage", stdout=out)
    assert "coverage atoms in" in out.getvalue()
    rebuilt = area_per_zone_set(edition)
    assert sorted(rebuilt) == sorted(incremental)
    # The same areas to a millimetre-wide sliver along 100 km of border (cut and merged shapes are rounded apart).
    assert rebuilt == pytest.approx(incremental, rel=1e-7)


def test_deleting_an_intervention_leaves_the_same_atoms_as_a_rebuild(tmp_path):
    edition = grid_edition(tmp_path)
    crossing = edit_a_few_zones(edition)
    crossing.refresh_from_db()
    zone_services.intervention_delete(audience=admin(), intervention=crossing, expected_version=crossing.version)
    incremental = atom_area_per_commune(edition)
    rebuild_in_this_transaction()
    services.coverage_atoms_rebuild()
    rebuilt = atom_area_per_commune(edition)
    assert sorted(incremental) == sorted(rebuilt), "communes with atoms differ (stale atoms of deleted zones)"
    assert incremental == pytest.approx(rebuilt, rel=1e-7)


# --- Visitors' answers do not depend on records they cannot see -----------------------------------------


def test_a_restricted_zone_does_not_change_what_visitors_see(tmp_path):
    edition = grid_edition(tmp_path)
    declared(factories.organisation(), rectangle(X0 + 0.3, Y0 + 0.3, X0 + 0.7, Y0 + 0.8), edition=edition)
    before = coverage(VISITOR, edition, 3)
    declared(factories.organisation(), rectangle(X0 + 0.55, Y0 + 0.55, X0 + 0.9, Y0 + 0.9), edition=edition,
             sensitivity="restricted")
    after = coverage(VISITOR, edition, 3)
    assert after[NE]["covered_km2"] == pytest.approx(before[NE]["covered_km2"], rel=1e-9)


# --- Labelling the atoms on real borders -----------------------------------------------------------------

# A drawn rectangle whose southern edge meets a slanted border of the commune of ML050805 (Mopti region): the
# zone's and the commune's edges are nearly, not exactly, collinear there.
NEAR_THE_BORDER = rectangle(-4.981145185399649, 14.439052378780985, -4.592729377300413, 14.61915269321915)


@pytest.mark.realdata
def test_a_zone_covers_only_its_part_of_a_commune_another_zone_covers_entirely(mali):
    declared(factories.organisation(), NEAR_THE_BORDER, edition=mali, theme="education-filles")
    part = Reference(mali.id).coverage(3, Selection("full", themes=("education-filles",))).loc["ML050805"]
    assert 0.95 < part["coverage_share"] < 0.999
    alone = coverage(FULL, mali, 3, themes=["education-filles"])["ML050805"]
    assert alone["covered_km2"] == pytest.approx(part["covered_km2"], rel=1e-3)
    # Another organisation works in the whole commune: the rectangle's coverage must not change.
    whole = zone_services.intervention_create(audience=admin(), organisation=factories.organisation(),
                                              fields={"title": "Commune entière"},
                                              relations={"themes": [Theme.objects.get(code="vbg")]})
    zone_services.zone_create(audience=admin(), intervention=whole, method="picked", unit_pcodes=["ML050805"])
    Intervention.objects.filter(pk=whole.pk).update(validation_state="validated")
    with_neighbour = coverage(FULL, mali, 3, themes=["education-filles"])["ML050805"]
    assert with_neighbour["covered_km2"] == pytest.approx(part["covered_km2"], rel=1e-3)






