"""Optimistic locking under real concurrency: two database connections save the same version at the same moment.

The two threads each need their own connection and must see a committed row, so these tests cannot run inside
the usual rolled-back test transaction (transaction=True). Django empties the database after such a test, which
would also wipe the Mali boundaries that the session fixture `mali` loaded once for every later test. So:
- available_apps limits that flush to the organisations app (and, by TRUNCATE … CASCADE, the rows that point to
  its tables, such as interventions): boundaries, localities and the taxonomy loaded by migrations stay;
- pytest-django runs transactional tests after all the others anyway;
- nothing here needs the boundaries, so no test here requests `mali`.
"""
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from geo_backend.common.locking import StaleVersion, version_bump
from geo_backend.organisations.models import Organisation
from geo_backend.regions.models import AdminUnit
from geo_backend.taxonomy.models import Theme

pytestmark = pytest.mark.django_db(transaction=True, available_apps=["geo_backend.organisations"])


def race(pk: int, names: list[str]) -> list[tuple]:
    """Each name saved from its own thread and connection, all having read version 1 before anyone saves."""
    barrier = threading.Barrier(len(names), timeout=30)
    outcomes = []

    def save(name: str):
        try:
            with transaction.atomic():
                read = Organisation.objects.values_list("version", flat=True).get(pk=pk)
                barrier.wait()  # every transaction is open and has read the same version
                outcomes.append(("saved", version_bump(Organisation, pk=pk, expected_version=read, name=name)))
        except StaleVersion as stale:
            outcomes.append(("stale", stale.details["current_version"]))
        except Exception as error:  # reported to the test, not lost in the thread
            outcomes.append(("error", repr(error)))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_two_concurrent_saves_of_the_same_version_one_succeeds_one_is_stale():
    org = Organisation.objects.create(name="Avant", slug="course-de-versions", kind="association")
    outcomes = race(org.pk, ["Awa", "Fatou"])
    assert sorted(outcomes) == [("saved", 2), ("stale", 2)]
    org.refresh_from_db()
    assert org.version == 2
    assert org.name in {"Awa", "Fatou"}


def test_the_flush_after_a_concurrent_test_keeps_the_reference_vocabulary():
    """The flush that follows every test of this module, run here as Django runs it after a transactional test
    with available_apps (TransactionTestCase._fixture_teardown): it empties the organisations app but keeps the
    taxonomy loaded by a migration and the reference tables. Needs no other test to have run before it."""
    Organisation.objects.create(name="À effacer", slug="a-effacer", kind="association")
    themes, units = Theme.objects.count(), AdminUnit.objects.count()
    call_command("flush", verbosity=0, interactive=False, database="default", reset_sequences=False,
                 allow_cascade=True, inhibit_post_migrate=True)
    assert not Organisation.objects.exists()
    assert Theme.objects.count() == themes and AdminUnit.objects.count() == units
    assert Theme.objects.filter(code="vbg", parent=None).exists()
    assert Theme.objects.filter(parent__code="vbg").count() == 7
