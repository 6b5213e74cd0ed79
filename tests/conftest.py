"""Shared fixtures. Every test runs against real PostgreSQL + PostGIS (the embedded cluster or DATABASE_URL)."""
import os

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests draw the same examples on every run (derandomize), so a red CI run is red again on a laptop and a
# green one does not hide a failure that only a lucky draw finds. HYPOTHESIS_PROFILE=explore draws new examples
# each run, for looking for bugs on purpose. No example database: nothing is written into the repository.
hypothesis_settings.register_profile("deterministic", derandomize=True, database=None, print_blob=True)
hypothesis_settings.register_profile("explore", derandomize=False, database=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))


@pytest.fixture(scope="session")
def mali(django_db_setup, django_db_blocker):
    """The real Mali reference data (boundaries, population, localities), loaded once per test session."""
    from django.core.management import call_command

    from geo_backend.regions.models import Edition

    with django_db_blocker.unblock():
        _ensure_test_database()
        call_command("bootstrap", "--no-demo", verbosity=0)
        return Edition.objects.get(slug="cod-ab-2015")


def _ensure_test_database() -> None:
    """pytest-django creates the test database only when a collected test carries a django_db mark: run alone,
    tests/zones/test_concurrency.py (which commits on purpose and has none) wrote into the development database."""
    from django.db import connection
    from django.test.utils import setup_databases

    if connection.settings_dict["NAME"] != connection.creation._get_test_db_name():
        setup_databases(verbosity=0, interactive=False, aliases={"default"})


def apps_but_the_reference_data() -> list[str]:
    """available_apps for a transactional test: every installed app but the reference data (boundaries, population,
    localities, taxonomy), so that the flush after the test keeps what the session loaded once (`mali`) for the
    tests that run after it."""
    from django.conf import settings

    return [app for app in settings.INSTALLED_APPS if app not in ("geo_backend.regions", "geo_backend.taxonomy")]
