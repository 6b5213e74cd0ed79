"""Shared fixtures. Every test runs against real PostgreSQL + PostGIS (the embedded cluster or DATABASE_URL)."""
import pytest


@pytest.fixture(scope="session")
def mali(django_db_setup, django_db_blocker):
    """The real Mali reference data (boundaries, population, localities), loaded once per test session."""
    from django.core.management import call_command

    from geo_backend.regions.models import Edition

    with django_db_blocker.unblock():
        call_command("bootstrap", "--no-demo", verbosity=0)
        return Edition.objects.get(slug="cod-ab-2015")
