"""Deleting interventions and zones in the Django admin goes through the services: the lock order of zone writes
is kept and the coverage atoms follow (before, the admin deleted rows directly and left their atoms behind)."""
import pytest
from django.test import Client

from geo_backend.analytics.models import CoverageAtom
from geo_backend.zones.models import Intervention, Zone
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(factories.user(superuser=True))
    return client


# Drawn zones: a zone picked as a whole commune is not listed in the atoms at all (analytics/services.py).
def test_deleting_an_intervention_in_the_admin_removes_its_coverage(mali, admin_client):
    intervention = factories.intervention(factories.organisation())
    zone = intervention.zones.get()
    assert CoverageAtom.objects.filter(zone_ids__contains=[zone.id]).exists()
    response = admin_client.post(f"/admin/zones/intervention/{intervention.id}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Intervention.objects.filter(pk=intervention.pk).exists()
    assert not CoverageAtom.objects.filter(zone_ids__contains=[zone.id]).exists()


def test_deleting_zones_with_the_admin_action_removes_their_coverage(mali, admin_client):
    zones = [factories.intervention(factories.organisation()).zones.get() for _ in range(2)]
    assert CoverageAtom.objects.filter(zone_ids__overlap=[z.id for z in zones]).exists()
    response = admin_client.post("/admin/zones/zone/", {"action": "delete_selected", "post": "yes",
                                                        "_selected_action": [z.id for z in zones]})
    assert response.status_code == 302
    assert not Zone.objects.filter(pk__in=[z.id for z in zones]).exists()
    assert not CoverageAtom.objects.filter(zone_ids__overlap=[z.id for z in zones]).exists()
