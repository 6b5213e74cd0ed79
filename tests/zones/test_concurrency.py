"""Zone writes under real concurrency: each write in its own thread, database connection and transaction (issue 11,
items 3 and 4).

Each test holds every write at one point (before its commit, or just after its first lock) until every other write
has reached its own point, finished, or is waiting for a lock: a deterministic interleaving, without sleeping for a
guessed time.

The threads must see committed rows, so these tests run outside the usual rolled-back test transaction. They do not
use pytest-django's transactional tests either: the flush after each would empty every table, the Mali boundaries
loaded once for the session included (available_apps narrows the flush, but also hides the regions app that zones
link to). Instead the `committed` fixture gives plain database access and deletes afterwards every row the test made.
"""
import re
import threading
import time

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction

from geo_backend.analytics.models import CoverageAtom
from geo_backend.analytics.services import coverage_atoms_refresh
from geo_backend.organisations.access import audience_for
from geo_backend.organisations.models import Organisation
from geo_backend.regions.models import AdminUnit
from geo_backend.taxonomy.models import Theme
from geo_backend.zones import services
from geo_backend.zones.models import Intervention, Zone, ZoneCommune
from tests import factories

pytestmark = pytest.mark.realdata

SETTLE_TIMEOUT_S = 60  # only a guard against a hung test; nothing is asserted about time


class Gate:
    """Holds writes at their pause point, then lets them all go once none can move on without the others."""

    def __init__(self, names: list[str]):
        self.names = names
        self.paused = {name: threading.Event() for name in names}
        self.finished = {name: threading.Event() for name in names}
        self.backend = {}
        self.release = threading.Event()

    def wait_here(self, name: str) -> None:
        if not self.release.is_set():
            self.paused[name].set()
            self.release.wait(SETTLE_TIMEOUT_S)

    def _waiting_for_a_lock(self) -> set[str]:
        pids = {pid: name for name, pid in self.backend.items()}
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE pid = ANY(%s) AND wait_event_type = 'Lock'",
                           [list(pids)])
            return {pids[row[0]] for row in cursor.fetchall()}

    def settle_then_release(self) -> bool:
        """Waits until no write can move on by itself, then releases them all; False if that never happened."""
        deadline = time.monotonic() + SETTLE_TIMEOUT_S
        settled = set()
        while settled != set(self.names) and time.monotonic() < deadline:
            time.sleep(0.02)
            settled = {name for name in self.names if self.paused[name].is_set() or self.finished[name].is_set()}
            if len(self.backend) == len(self.names):
                settled |= self._waiting_for_a_lock()
        self.release.set()
        return settled == set(self.names)


def run_together(tasks: dict) -> dict:
    """Runs each task (name -> function(gate, name)) in its own thread and connection; returns name -> outcome."""
    gate = Gate(list(tasks))
    outcomes = {}

    def run(name, task):
        try:
            connection.ensure_connection()
            gate.backend[name] = connection.connection.info.backend_pid
            outcomes[name] = ("ok", task(gate, name))
        except Exception as error:  # reported to the test, not lost in the thread
            outcomes[name] = ("error", repr(error))
        finally:
            gate.finished[name].set()
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in tasks.items()]
    for thread in threads:
        thread.start()
    settled = gate.settle_then_release()
    for thread in threads:
        thread.join(SETTLE_TIMEOUT_S)
    assert not any(thread.is_alive() for thread in threads)
    assert settled, f"the writes never all reached their pause point or a lock wait: {outcomes}"
    return outcomes


class Made:
    """What a test wrote, to delete it afterwards."""

    def __init__(self):
        self.admin = User.objects.create_user("concurrency-admin", password="pw-test-1234", is_superuser=True)
        self.organisations: list[int] = []

    def intervention(self, geometry: dict | None = None) -> Intervention:
        """A draft intervention of a new organisation, with one drawn zone when a geometry is given."""
        audience = audience_for(self.admin)
        organisation = factories.organisation()
        self.organisations.append(organisation.id)
        intervention = services.intervention_create(
            audience=audience, organisation=organisation, fields={"title": "Course"},
            relations={"themes": [Theme.objects.get(code="vbg")]})
        if geometry is not None:
            services.zone_create(audience=audience, intervention=intervention, method="drawn", geometry=geometry)
        return intervention

    def delete(self) -> None:
        interventions = Intervention.objects.filter(organisation_id__in=self.organisations)
        ids = {"intervention": list(interventions.values_list("id", flat=True)),
               "zone": list(Zone.objects.filter(intervention__in=interventions).values_list("id", flat=True))}
        communes = set(ZoneCommune.objects.filter(zone_id__in=ids["zone"]).values_list("commune_id", flat=True))
        with transaction.atomic():
            interventions.delete()
            coverage_atoms_refresh(communes)
            Organisation.objects.filter(id__in=self.organisations).delete()
            self.admin.delete()
            # Their history too (the events of deleting them included), and the request contexts it points to.
            events = [(Intervention, ids["intervention"]), (Zone, ids["zone"]), (Organisation, self.organisations)]
            contexts = set()
            for model, pks in events:
                recorded = model.pgh_event_models["insert"].objects.filter(pgh_obj_id__in=pks)
                contexts |= set(recorded.exclude(pgh_context=None).values_list("pgh_context_id", flat=True))
                recorded.delete()
            if contexts:
                with connection.cursor() as cursor:
                    cursor.execute("DELETE FROM pghistory_context WHERE id = ANY(%s)", [list(contexts)])


@pytest.fixture
def made(mali, django_db_blocker):
    """Database access outside any test transaction (what is written is committed, as in production); every row
    the test made is deleted afterwards."""
    with django_db_blocker.unblock():
        made = Made()
        try:
            yield made
        finally:
            made.delete()
            connection.close()


def atoms_of(commune_id: int) -> list[tuple]:
    return sorted((tuple(a.zone_ids), round(a.area_km2, 9))
                  for a in CoverageAtom.objects.filter(commune_id=commune_id))


def area_per_zone_set(commune_id: int) -> dict:
    """What every measure sums: the atoms' area per list of zones (a zone saved is placed in the atoms in place,
    a rebuild nodes the borders snapped to 1e-9°: the same places, measured a few m² apart)."""
    areas: dict = {}
    for zones, area in atoms_of(commune_id):
        areas[zones] = areas.get(zones, 0.0) + area
    return areas


def square(lon: float, lat: float, size: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size],
                                                [lon, lat + size], [lon, lat]]]}


# --- Item 3: two zones saved at the same moment in one commune -----------------------------------------------

def test_two_overlapping_zones_saved_at_the_same_moment_give_the_atoms_of_saving_them_one_after_the_other(mali, made):
    commune = AdminUnit.objects.get(edition=mali, level=3, pcode="ML040224")
    lon, lat = commune.geom.point_on_surface.coords
    audience = audience_for(made.admin)
    interventions = {name: made.intervention() for name in ("awa", "fatou")}
    geometries = {"awa": square(lon - 0.01, lat - 0.01, 0.015), "fatou": square(lon - 0.005, lat - 0.005, 0.015)}

    def save(gate, name):
        with transaction.atomic():
            zone, _repairs = services.zone_create(audience=audience, intervention=interventions[name],
                                                  method="drawn", geometry=geometries[name])
            gate.wait_here(name)  # both have written their zone and its atoms; neither has committed
        return zone.id

    outcomes = run_together({"awa": save, "fatou": save})
    assert {name: kind for name, (kind, _value) in outcomes.items()} == {"awa": "ok", "fatou": "ok"}, outcomes
    zones = sorted(value for _kind, value in outcomes.values())
    assert all(list(Zone.objects.get(pk=z).commune_shares.values_list("commune_id", flat=True)) == [commune.id]
               for z in zones), "each zone lies inside the one commune"

    concurrent = area_per_zone_set(commune.id)
    with transaction.atomic():
        coverage_atoms_refresh([commune.id])  # the sequential answer, from the committed pieces
    sequential = area_per_zone_set(commune.id)
    assert sorted(concurrent) == sorted(sequential)
    assert concurrent == pytest.approx(sequential, rel=1e-5)
    assert tuple(zones) in concurrent, "the overlap of the two zones is an atom of both"
    with connection.cursor() as cursor:
        cursor.execute("SELECT musoya_area_km2(ST_Union(geom)) FROM zones_zonecommune WHERE commune_id = %s "
                       "AND zone_id = ANY(%s)", [commune.id, zones])
        union_km2 = cursor.fetchone()[0]
    assert sum(concurrent.values()) == pytest.approx(union_km2, rel=1e-6)  # the overlap counted once


# --- Item 4: a zone written while its intervention is deleted --------------------------------------------------

LOCKING = re.compile(r"\b(?:UPDATE|DELETE FROM|INSERT INTO)\b|pg_advisory_xact_lock")


def pause_after_first_lock(gate, name):
    """An execute wrapper that holds the request just after its first statement that takes a lock."""
    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if LOCKING.search(sql):
            gate.wait_here(name)
        return result
    return wrapper


def api_call(person, method: str, url: str, body: dict | None = None, if_match: str | None = None):
    def call(gate, name):
        client = factories.api_client()
        client.force_authenticate(person)
        headers = {"HTTP_IF_MATCH": if_match} if if_match else {}
        with connection.execute_wrapper(pause_after_first_lock(gate, name)):
            response = getattr(client, method)(url, body, format="json", **headers)
        return response.status_code, response.json() if response.content else None
    return call


ZONE_WRITES = {
    "delete the zone": lambda zone: ("delete", f"/api/v1/zones/{zone.id}/", None, 204),
    "edit the zone": lambda zone: ("put", f"/api/v1/zones/{zone.id}/",
                                   {"method": "drawn", "geometry": square(-6.28, 13.42, 0.05)}, 200),
    "add a zone": lambda zone: ("post", "/api/v1/zones/", {"intervention": zone.intervention_id, "method": "drawn",
                                                           "geometry": square(-6.25, 13.45, 0.05)}, 201),
}


@pytest.mark.parametrize("zone_write", ZONE_WRITES, ids=list(ZONE_WRITES))
def test_a_zone_written_while_its_intervention_is_deleted_gets_no_500(mali, made, zone_write):
    intervention = made.intervention(square(-6.3, 13.4, 0.1))
    zone = intervention.zones.get()
    communes = list(zone.commune_shares.values_list("commune_id", flat=True))
    method, url, body, success = ZONE_WRITES[zone_write](zone)
    outcomes = run_together({
        "zone": api_call(made.admin, method, url, body, if_match=f'"zone-{zone.id}-v{zone.version}"'),
        "intervention": api_call(made.admin, "delete", f"/api/v1/interventions/{intervention.id}/",
                                 if_match=f'"intervention-{intervention.id}-v{intervention.version}"'),
    })
    assert all(kind == "ok" for kind, _value in outcomes.values()), outcomes
    statuses = {name: value[0] for name, (_kind, value) in outcomes.items()}
    # Whichever locked the intervention first went through; the zone write that came second found it gone.
    assert statuses["intervention"] == 204, outcomes
    assert statuses["zone"] in (success, 404), outcomes
    if statuses["zone"] == 404:
        assert outcomes["zone"][1][1]["code"] == "intervention_not_found"
    assert not Intervention.objects.filter(pk=intervention.pk).exists()
    assert not Zone.objects.filter(intervention_id=intervention.pk).exists()
    assert not CoverageAtom.objects.filter(commune_id__in=communes).exists()  # no atom of a deleted zone is left
