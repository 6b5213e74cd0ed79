"""Recomputing a zone's derivatives (rebuild_coverage after boundaries are reloaded, the demo writer) moves its
updated_at only when what the public sees of it changes: the coarse outline. The zone tiles' fingerprint follows."""
import pytest
from django.db import connection

from geo_backend.organisations.access import VISITOR
from geo_backend.zones import tiles
from geo_backend.zones.models import Zone
from geo_backend.zones.services import zone_derivatives_refresh
from tests import factories
from tests.zones.test_zone_tiles import ZOOM, X, Y

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


@pytest.fixture
def coarse_zone(mali):
    org = factories.organisation(editor=factories.user())
    return factories.intervention(org, sensitivity="coarse").zones.get()


def digest() -> str:
    return tiles.zone_tile_digest(VISITOR, z=ZOOM, x=X, y=Y)


def test_a_changed_coarse_outline_changes_the_zone_and_its_tiles_fingerprint(coarse_zone):
    outline = Zone.objects.get(pk=coarse_zone.pk).coarse_geom
    # The outline an earlier edition of the communes gave (here: the square itself), without touching updated_at.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE zones_zone SET coarse_geom = ST_Multi(geom), updated_at = updated_at - interval '1 day'"
                       " WHERE id = %s", [coarse_zone.pk])
    stale = Zone.objects.get(pk=coarse_zone.pk)
    before = digest()

    zone_derivatives_refresh([coarse_zone.pk])

    refreshed = Zone.objects.get(pk=coarse_zone.pk)
    assert refreshed.coarse_geom.equals(outline)
    assert refreshed.updated_at > stale.updated_at
    assert refreshed.version == stale.version  # an editor's open form is still current: she changed nothing
    assert digest() != before


def test_recomputing_unchanged_derivatives_changes_nothing(coarse_zone):
    before, fingerprint = Zone.objects.get(pk=coarse_zone.pk), digest()

    zone_derivatives_refresh([coarse_zone.pk])

    assert Zone.objects.get(pk=coarse_zone.pk).updated_at == before.updated_at
    assert digest() == fingerprint
