"""Shared fixtures. Every test runs against real PostgreSQL + PostGIS (the embedded cluster or DATABASE_URL)."""
from pathlib import Path

import pytest
from django.conf import settings


def boundary_mirror() -> Path | None:
    return Path(settings.BOUNDARY_MIRROR) if settings.BOUNDARY_MIRROR else None


@pytest.fixture(scope="session")
def mali(django_db_setup, django_db_blocker):
    """The real Mali reference data (boundaries, population, localities), loaded once per test session."""
    mirror = boundary_mirror()
    if mirror is None or not (mirror / "admin3_communes.geojson").exists():
        pytest.skip("the Mali boundary mirror (BOUNDARY_MIRROR) is not available")
    from django.core.management import call_command

    from geo_backend.regions.models import Edition

    with django_db_blocker.unblock():
        call_command("bootstrap", "--no-demo", verbosity=0)
        return Edition.objects.get(slug="cod-ab-2015")
