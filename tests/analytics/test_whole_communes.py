"""Zones that cover their whole commune: stored once on their piece (covers_commune), never listed in the commune's
coverage atoms, and counted whole by every measure: coverage, gaps, overlaps and the roll-ups. Before, a town picked
by 800 organisations put 800 ids in each of its 8,659 atoms (Bamako's Commune V at 20,000 zones)."""
import importlib

import pytest
from django.db import connection

from geo_backend.analytics import atom_edits, overlaps, rollups, selectors, services
from geo_backend.organisations.access import VISITOR, Audience
from geo_backend.regions.models import AdminUnit
from geo_backend.zones import services as zone_services
from geo_backend.zones.models import Intervention, Zone, ZoneCommune
from tests import factories

from .grid_setup import NW_WEST_HALF, WOMEN_PER_COMMUNE, X0, Y0, declared, grid_edition, rectangle
from .reference import Reference

pytestmark = pytest.mark.django_db
NW, NE = "ZZ010101", "ZZ010102"
ADMIN = Audience(user_id=-1, is_admin=True)
# The east quarter of the north-west commune (X0+0.375..X0+0.5), which NW_WEST_HALF does not touch.
NW_EAST_QUARTER = rectangle(X0 + 0.375, Y0 + 0.5, X0 + 0.5, Y0 + 1.0)
NW_MIDDLE = rectangle(X0 + 0.125, Y0 + 0.5, X0 + 0.375, Y0 + 1.0)


def picked(intervention, pcodes, edition) -> Zone:
    zone, _repairs = zone_services.zone_create(audience=ADMIN, intervention=intervention, method="picked",
                                               unit_pcodes=list(pcodes), edition_slug=edition.slug)
    validated(intervention)  # a new zone sends a validated declaration back for validation
    return zone


def validated(intervention) -> None:
    Intervention.objects.filter(pk=intervention.pk).update(validation_state="validated")


def atoms_of(edition, pcode) -> list[tuple[list[int], float]]:
    with connection.cursor() as cursor:
        cursor.execute("""SELECT a.zone_ids, a.area_km2 FROM analytics_coverageatom a
                          JOIN regions_adminunit c ON c.id = a.commune_id
                          WHERE c.edition_id = %s AND c.pcode = %s ORDER BY a.zone_ids, a.area_km2""",
                       [edition.id, pcode])
        return cursor.fetchall()


def coverage(edition, level=3, **filters) -> dict:
    query = selectors.CoverageQuery(edition=edition, level=level, filters=selectors.InterventionFilters(**filters))
    return {row["pcode"]: row for row in selectors.coverage_by_unit(VISITOR, query)}


def test_a_zone_covering_its_commune_is_in_no_atom_and_counts_the_commune_whole(tmp_path):
    edition = grid_edition(tmp_path)
    town = declared(factories.organisation(), NW_WEST_HALF, edition=edition)
    whole = picked(town, [NW], edition)
    drawn = Zone.objects.filter(intervention=town).exclude(pk=whole.pk).get()

    assert ZoneCommune.objects.get(zone=whole).covers_commune
    assert not ZoneCommune.objects.get(zone=drawn).covers_commune
    nw = atoms_of(edition, NW)
    assert [zones for zones, _area in nw] == [[drawn.id]]  # the drawn half only; the picked zone is in no atom
    nw_km2 = AdminUnit.objects.get(edition=edition, pcode=NW).area_km2
    assert nw[0][1] == pytest.approx(nw_km2 / 2, rel=1e-3)

    figures = coverage(edition)
    assert figures[NW]["women_covered"] == pytest.approx(WOMEN_PER_COMMUNE)
    assert figures[NW]["covered_km2"] == pytest.approx(nw_km2)
    assert figures[NW]["interventions"] == 1 and figures[NE]["women_covered"] == 0
    assert [row["pcode"] for row in selectors.gaps(VISITOR, selectors.CoverageQuery(edition=edition, level=3))
            ] == sorted(set(figures) - {NW})


def test_an_intervention_counted_whole_in_a_commune_is_not_counted_again_by_its_atoms(tmp_path):
    """One intervention with a whole-commune zone and a partial one in the same commune, against another
    organisation's partial zone there: they share the other's zone once, as the independent reference says."""
    edition = grid_edition(tmp_path)
    mixed = declared(factories.organisation(), NW_MIDDLE, edition=edition)
    picked(mixed, [NW], edition)
    other = declared(factories.organisation(), NW_EAST_QUARTER, edition=edition)

    (pair,) = overlaps.overlaps(VISITOR, selectors.CoverageQuery(edition=edition, level=3))["pairs"]
    other_km2 = Zone.objects.get(intervention=other).area_km2
    assert pair["shared_km2"] == pytest.approx(other_km2, rel=1e-3)
    assert pair["women_shared"] == pytest.approx(WOMEN_PER_COMMUNE / 4, rel=1e-3)
    (expected,) = Reference(edition.id).overlaps(3).itertuples()
    assert (expected.first, expected.second) == (mixed.id, other.id)
    assert pair["shared_km2"] == pytest.approx(expected.shared_km2, rel=1e-3)


def test_roll_ups_count_a_whole_commune_once_per_group(tmp_path):
    edition = grid_edition(tmp_path)
    first, second = factories.organisation(), factories.organisation()
    picked(declared(first, NW_WEST_HALF, edition=edition), [NW], edition)
    declared(second, NW_EAST_QUARTER, edition=edition)
    query = selectors.CoverageQuery(edition=edition)
    groups = rollups.coverage_of_groups(
        VISITOR, query, lambda selected: [(1, i) for i in selected] + [
            (2, i) for i in selected if Zone.objects.filter(intervention_id=i, intervention__organisation=second)
            .exists()], [1, 2])
    assert groups[1]["women_covered"] == pytest.approx(WOMEN_PER_COMMUNE)
    assert groups[2]["women_covered"] == pytest.approx(WOMEN_PER_COMMUNE / 4, rel=1e-3)


def test_picking_a_whole_commune_refreshes_no_atoms_and_drawing_part_of_it_does(tmp_path, monkeypatch):
    edition = grid_edition(tmp_path)
    declared(factories.organisation(), NW_EAST_QUARTER, edition=edition)
    refreshed = []

    def spy(zone_id, *, left=(), entered):
        refreshed.append(sorted({*left, *entered}))
        return atom_edits.coverage_atoms_place_zone(zone_id, left=left, entered=entered)

    monkeypatch.setattr(zone_services, "coverage_atoms_place_zone", spy)
    intervention = declared(factories.organisation(), NW_WEST_HALF, edition=edition)
    assert refreshed == [[AdminUnit.objects.get(edition=edition, pcode=NW).id]]
    zone = Zone.objects.get(intervention=intervention)
    assert {z for zones, _area in atoms_of(edition, NW) for z in zones} == {
        zone.id, Zone.objects.exclude(pk=zone.pk).get().id}

    refreshed.clear()
    picked(intervention, [NE], edition)
    assert refreshed == [[]]  # nothing to recompute: NE's atoms do not list whole-commune zones

    refreshed.clear()  # the drawn half becomes the whole commune: NW's atoms lose it
    zone_services.zone_update(audience=ADMIN, zone=zone, expected_version=zone.version, method="picked",
                              unit_pcodes=[NW])
    validated(intervention)
    assert refreshed == [[AdminUnit.objects.get(edition=edition, pcode=NW).id]]
    assert zone.id not in {z for zones, _area in atoms_of(edition, NW) for z in zones}
    assert coverage(edition)[NW]["women_covered"] == pytest.approx(WOMEN_PER_COMMUNE)


def test_the_upgrade_turns_atoms_listing_whole_commune_zones_into_the_new_ones(tmp_path):
    """The two data migrations (pieces marked, ids taken out of the atoms) give exactly what a rebuild gives."""
    edition = grid_edition(tmp_path)
    mixed = declared(factories.organisation(), NW_MIDDLE, edition=edition)
    picked(mixed, [NW, NE], edition)
    declared(factories.organisation(), NW_EAST_QUARTER, edition=edition)
    expected = [atoms_of(edition, pcode) for pcode in (NW, NE)]
    marked = set(ZoneCommune.objects.filter(covers_commune=True).values_list("id", flat=True))
    assert len(marked) == 2

    # The state before the upgrade: no piece marked, whole-commune zones listed in every atom of their commune.
    ZoneCommune.objects.update(covers_commune=False)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    services.coverage_atoms_rebuild()
    assert atoms_of(edition, NE) and all(len(zones) == 1 for zones, _area in atoms_of(edition, NE))

    zones_migration = importlib.import_module("geo_backend.zones.migrations.0003_zone_piece_covers_commune")
    atoms_migration = importlib.import_module(
        "geo_backend.analytics.migrations.0002_atoms_leave_out_whole_commune_zones")
    with connection.cursor() as cursor:
        cursor.execute(zones_migration.MARK_WHOLE_COMMUNE_PIECES)
        cursor.execute(atoms_migration.LEAVE_OUT_WHOLE_COMMUNE_ZONES)
    assert set(ZoneCommune.objects.filter(covers_commune=True).values_list("id", flat=True)) == marked
    upgraded = [atoms_of(edition, pcode) for pcode in (NW, NE)]
    assert [[zones for zones, _ in commune] for commune in upgraded] == [[z for z, _ in c] for c in expected]
    assert [a for commune in upgraded for _, a in commune] == pytest.approx(
        [a for commune in expected for _, a in commune], rel=1e-9)
