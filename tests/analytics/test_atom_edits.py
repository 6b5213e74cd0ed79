"""Zone edits applied to the coverage atoms in place (analytics/atom_edits.py) against a rebuild from the pieces.

Whatever sequence of creations, reshapings and deletions the editors make, the atoms must measure what a rebuild of
the commune from its pieces measures: the same area for every commune and set of zones (the atoms themselves may be
cut differently), each atom valid, its zone list sorted and without repeats.
"""
import math
import random

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo_backend.analytics import services
from geo_backend.analytics.services import coverage_atoms_deferred
from geo_backend.organisations.access import Audience
from geo_backend.zones import services as zone_services
from geo_backend.zones.models import Zone
from tests import factories

from .grid_setup import X0, Y0, declared, grid_edition, rectangle

pytestmark = pytest.mark.django_db

STEP = 0.01  # 1° (the whole grid, four communes) is 100 steps


def area_per_zone_set(edition) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("""SELECT a.commune_id, a.zone_ids, sum(a.area_km2) FROM analytics_coverageatom a
                          JOIN regions_adminunit c ON c.id = a.commune_id WHERE c.edition_id = %s
                          GROUP BY 1, 2""", [edition.id])
        return {(commune, tuple(zones)): area for commune, zones, area in cursor.fetchall()}


def assert_same_measures(incremental: dict, rebuilt: dict) -> None:
    """Equal areas per (commune, zone set), to 1e-7 relative plus 10 m². Areas are measured on the ellipsoid with
    edges cut every 0.01° (musoya_area_km2): a shape cut at other points measures up to ~1 m² apart per 10 km of
    border. And a set whose only part is a sliver under the atoms' minimum may exist on one side only."""
    for key in sorted(set(incremental) | set(rebuilt)):
        got, expected = incremental.get(key, 0.0), rebuilt.get(key, 0.0)
        assert math.isclose(got, expected, rel_tol=1e-7, abs_tol=1e-5), (key, got, expected)


def assert_atoms_are_well_formed(edition) -> None:
    with connection.cursor() as cursor:
        cursor.execute("""SELECT a.id, a.zone_ids, ST_IsValid(a.geom), ST_GeometryType(a.geom)
                          FROM analytics_coverageatom a JOIN regions_adminunit c ON c.id = a.commune_id
                          WHERE c.edition_id = %s""", [edition.id])
        for atom_id, zones, valid, kind in cursor.fetchall():
            assert zones and zones == sorted(set(zones)), (atom_id, zones)
            assert valid and kind == "ST_MultiPolygon", (atom_id, valid, kind)


@st.composite
def shapes(draw) -> dict:
    """A rectangle or a many-sided polygon (a circle, as a buffer around a town is), on or off the lattice, inside
    the grid or across its communes' borders."""
    x, y = draw(st.integers(0, 95)), draw(st.integers(0, 95))
    if draw(st.booleans()):
        width, height = draw(st.integers(2, 60)), draw(st.integers(2, 60))
        return rectangle(X0 + x * STEP, Y0 + y * STEP, X0 + (x + width) * STEP, Y0 + (y + height) * STEP)
    radius, sides = draw(st.integers(2, 30)) * STEP, draw(st.sampled_from([5, 16, 33]))
    ring = [[X0 + x * STEP + radius * math.cos(2 * math.pi * k / sides),
             Y0 + y * STEP + radius * math.sin(2 * math.pi * k / sides)] for k in range(sides)]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


# An edit: ("create", shape), ("reshape", which zone, shape) or ("delete", which zone).
edits = st.one_of(
    st.tuples(st.just("create"), shapes()),
    st.tuples(st.just("reshape"), st.integers(0, 20), shapes()),
    st.tuples(st.just("delete"), st.integers(0, 20)),
)


@pytest.fixture
def grid(tmp_path):
    return grid_edition(tmp_path)


@settings(max_examples=30, deadline=None, derandomize=True, database=None, print_blob=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(start=st.lists(shapes(), min_size=1, max_size=4), steps=st.lists(edits, min_size=1, max_size=8))
def test_edits_in_place_measure_what_a_rebuild_measures(grid, start, steps):
    edition = grid
    with transaction.atomic():
        admin = Audience(user_id=factories.user(superuser=True).pk, is_admin=True)
        organisation = factories.organisation()
        for geometry in start:
            declared(organisation, geometry, edition=edition)
        for step in steps:
            zones = list(Zone.objects.filter(edition=edition).order_by("id"))
            if step[0] == "create":
                declared(organisation, step[1], edition=edition)
            elif not zones:
                continue
            elif step[0] == "reshape":
                zone = zones[step[1] % len(zones)]
                zone_services.zone_update(audience=admin, zone=zone, expected_version=zone.version,
                                          method="drawn", geometry=step[2])
            else:
                zone = zones[step[1] % len(zones)]
                zone_services.zone_delete(audience=admin, zone=zone, expected_version=zone.version)
        assert_atoms_are_well_formed(edition)
        incremental = area_per_zone_set(edition)
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT commune_id FROM zones_zonecommune")
            communes = [row[0] for row in cursor.fetchall()]
        services.coverage_atoms_refresh(communes)
        assert_same_measures(incremental, area_per_zone_set(edition))
        transaction.set_rollback(True)


def test_a_zone_drawn_twice_adds_no_atom(grid):
    """The same drawing again (a common case: an organisation's two interventions in one place) only lengthens the
    atoms' lists."""
    edition = grid
    organisation = factories.organisation()
    square = rectangle(X0 + 0.1, Y0 + 0.1, X0 + 0.3, Y0 + 0.3)
    declared(organisation, rectangle(X0 + 0.2, Y0 + 0.2, X0 + 0.4, Y0 + 0.4), edition=edition)
    declared(organisation, square, edition=edition)
    before = area_per_zone_set(edition)
    declared(organisation, square, edition=edition)
    after = area_per_zone_set(edition)
    assert len(after) == len(before)
    twice = [zones for (_commune, zones) in after if len(zones) >= 2]
    assert twice and all(len(zones) in (2, 3) for zones in twice)


def test_taking_a_zone_out_merges_the_atoms_its_border_had_cut(grid):
    edition = grid
    admin = Audience(user_id=factories.user(superuser=True).pk, is_admin=True)
    organisation = factories.organisation()
    declared(organisation, rectangle(X0 + 0.05, Y0 + 0.05, X0 + 0.35, Y0 + 0.35), edition=edition)
    cutting = declared(organisation, rectangle(X0 + 0.2, Y0 + 0.0, X0 + 0.25, Y0 + 0.45), edition=edition)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM analytics_coverageatom")
        # the square inside the strip, the square outside it (two parts) and the strip's two ends outside the square
        assert cursor.fetchone()[0] >= 3
        zone = Zone.objects.get(intervention=cutting)
        zone_services.zone_delete(audience=admin, zone=zone, expected_version=zone.version)
        cursor.execute("SELECT count(*), sum(area_km2) FROM analytics_coverageatom")
        count, area = cursor.fetchone()
    assert count == 1  # the square whole again, not two halves
    assert area == pytest.approx(0.3 * 0.3 * 111.32 * 110.6, rel=0.05)


def test_a_rebuild_keeps_every_face_where_many_zones_cross_a_real_commune_border(mali):
    """Zones cut by a real commune's border (hundreds of vertices) give pieces whose edges along it nearly coincide,
    each cut at its own floating-point crossings; among them, zones drawn again a hair apart. Every face between
    those borders must be kept, so that the atoms add up to the union of the pieces."""
    organisation = factories.organisation()
    generator = random.Random(7)
    with connection.cursor() as cursor:
        cursor.execute("""SELECT ST_X(ST_Centroid(geom)), ST_Y(ST_Centroid(geom)) FROM regions_adminunit
                          WHERE edition_id = %s AND level = 3 AND name ILIKE 'commune v%%'""", [mali.id])
        cx, cy = cursor.fetchone()
    shapes_drawn = []
    for _ in range(20):
        x, y = cx + generator.uniform(-0.04, 0.04), cy + generator.uniform(-0.04, 0.04)
        radius = generator.uniform(0.01, 0.04)
        for shift in (0.0, generator.uniform(1e-9, 1e-6)):
            ring = [[x + shift + radius * math.cos(2 * math.pi * k / 33), y + radius * math.sin(2 * math.pi * k / 33)]
                    for k in range(33)]
            shapes_drawn.append({"type": "Polygon", "coordinates": [[*ring, ring[0]]]})
    with coverage_atoms_deferred():
        for geometry in shapes_drawn:
            declared(organisation, geometry, edition=mali)
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT zc.commune_id, musoya_area_km2(ST_Union(zc.geom)),
                   (SELECT sum(a.area_km2) FROM analytics_coverageatom a WHERE a.commune_id = zc.commune_id),
                   (SELECT bool_and(ST_IsValid(a.geom)) FROM analytics_coverageatom a
                    WHERE a.commune_id = zc.commune_id)
            FROM zones_zonecommune zc WHERE NOT zc.covers_commune GROUP BY zc.commune_id""")
        rows = cursor.fetchall()
    assert len(rows) > 1
    for commune, union_km2, atoms_km2, valid in rows:
        assert valid, commune
        assert atoms_km2 == pytest.approx(union_km2, rel=1e-7, abs=1e-5), commune
