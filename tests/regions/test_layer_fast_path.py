"""The site's boundary layers and area tiles answered before Django (regions/layer_middleware.py) from the worker's
memory, under the default edition's token that the pointer names (regions/layer_pointer.py).

These tests commit: the memory keeps only committed layers and the pointer is written after a commit. The flush
after each is limited to apps_but_the_reference_data(), and a test that changes the population puts it back.
"""
import json
import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from geo_backend.regions import layer_store, services
from geo_backend.regions.layer_pointer import pointer_path, pointer_read
from geo_backend.regions.models import Edition, RenderedLayer
from tests.conftest import apps_but_the_reference_data

pytestmark = [pytest.mark.realdata,
              pytest.mark.django_db(transaction=True, available_apps=apps_but_the_reference_data())]

AREAS = "/api/v1/areas/?level=2"
TILE = "/tiles/areas/6/30/29.pbf"
VALID_CSRF = "a" * 32


def get(path: str, **headers):
    """(response, number of SQL queries it took)."""
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(path, **headers)
    return response, len(queries.captured_queries)


def warm(path: str) -> None:
    """Served once through Django: the worker keeps the layer and the pointer is written."""
    response, _ = get(path)
    assert response.status_code == 200


@pytest.fixture
def bamako_commune(mali):
    """A commune of Bamako and its 2017 population, put back after the test (the test's loads commit)."""
    commune = mali.units.filter(level=3, parent__pcode="ML0901").order_by("pcode").first()
    population = commune.populations.get(year=2017)
    yield commune, population
    load_population(mali, commune, population.female, population.total, population.source)


def load_population(edition, commune, women: int, total: int, source: str) -> None:
    """A population load of one commune, committed as the load command does (one transaction)."""
    population = commune.populations.get(year=2017)
    with transaction.atomic():
        services.population_upsert(edition=edition, level=3, source=source, rows=[
            (commune.pcode, 2017, women, population.male, total)])


def women_of_bamako(response) -> int:
    content = response.content
    if response.get("Content-Encoding") == "br":
        import brotli
        content = brotli.decompress(content)
    features = json.loads(content)["features"]
    return next(f for f in features if f["properties"]["pcode"] == "ML0901")["properties"]["women_2017"]


@pytest.mark.parametrize("path", [AREAS, TILE, "/api/v1/areas/?level=0"])
@pytest.mark.parametrize("headers", [
    {},
    {"HTTP_ACCEPT_ENCODING": "gzip"},
    {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"},
    {"HTTP_ACCEPT_LANGUAGE": "en", "HTTP_ACCEPT": "application/json"},
    {"HTTP_ACCEPT": "*/*", "HTTP_COOKIE": f"csrftoken={VALID_CSRF}; django_language=en"},
], ids=["identity", "gzip", "br", "english-json", "browser-cookies"])
def test_the_fast_path_answers_as_django_does(mali, path, headers):
    layer_store._memory.clear()  # this worker has not served the layer yet: Django answers
    slow, slow_queries = get(path, **headers)
    fast, fast_queries = get(path, **headers)
    assert slow_queries > 0 and fast_queries == 0
    assert fast.status_code == slow.status_code == 200
    assert fast.content == slow.content
    assert dict(fast.headers) == dict(slow.headers)
    # And a browser revalidating (strong or weak ETag, or any) gets the same 304 both ways.
    for if_none_match in (slow["ETag"], "W/" + slow["ETag"], "*"):
        layer_store._memory.clear()
        slow_304, _ = get(path, HTTP_IF_NONE_MATCH=if_none_match, **headers)
        fast_304, queries = get(path, HTTP_IF_NONE_MATCH=if_none_match, **headers)
        assert queries == 0 and fast_304.status_code == slow_304.status_code == 304
        assert dict(fast_304.headers) == dict(slow_304.headers)
    other, _ = get(path, HTTP_IF_NONE_MATCH='"another"', **headers)
    assert other.status_code == 200 and other.content == slow.content


@pytest.mark.parametrize("path, headers, status", [
    (AREAS + "&foo=1", {}, 400),                                   # unknown parameter: the one error shape
    (AREAS + "&level=3", {}, 400),                                 # repeated parameter
    ("/api/v1/areas/?level=2&edition=cod-ab-2015", {}, 200),       # named edition: Django resolves it
    ("/api/v1/areas/?level=9", {}, 400),
    (AREAS, {"HTTP_AUTHORIZATION": "Token not-a-token"}, 401),
    (AREAS, {"HTTP_COOKIE": "sessionid=stale"}, 200),                # Django deletes the stale cookie
    (AREAS, {"HTTP_COOKIE": "csrftoken=short"}, 200),                # Django replaces the malformed cookie
    (AREAS, {"HTTP_ACCEPT": "application/geo+json"}, 406),         # DRF serves no such format
    (AREAS, {"HTTP_HOST": "evil.example"}, 400),
    (AREAS, {"HTTP_X_MUSOYA_ACCOUNT": "1"}, 409),
    (TILE + "?level=2", {}, 200),
    ("/tiles/areas/06/30/29.pbf", {}, 200),
    ("/tiles/areas/3/99/1.pbf", {}, 400),
])
def test_anything_but_the_plain_variants_goes_through_django(mali, path, headers, status):
    warm(AREAS)
    warm(TILE)
    response, queries = get(path, **headers)
    assert response.status_code == status
    if status == 200:  # the fast path answers only 200 and 304: an error is Django's by construction
        assert queries > 0
    if status >= 400 and response["Content-Type"] == "application/json":
        body = response.json()
        assert set(body) >= {"code", "message"} and set(body["message"]) == {"fr", "en"}
    if path == AREAS + "&foo=1":
        assert response.json()["code"] == "unknown_parameter"


def test_head_goes_through_django(mali):
    warm(AREAS)
    with CaptureQueriesContext(connection) as queries:
        response = Client().head(AREAS)
    assert response.status_code == 200 and queries.captured_queries


def test_a_reload_changes_the_bytes_and_the_etag_at_once(mali, bamako_commune):
    warm(AREAS)
    before, queries = get(AREAS, HTTP_ACCEPT_ENCODING="br")
    assert queries == 0
    commune, population = bamako_commune
    load_population(mali, commune, population.female + 1000, population.total + 1000, population.source)
    after, queries = get(AREAS, HTTP_ACCEPT_ENCODING="br")
    assert queries > 0  # the new version is not in memory yet: Django renders it
    assert women_of_bamako(after) == women_of_bamako(before) + 1000
    assert after["ETag"] != before["ETag"]
    revalidated, _ = get(AREAS, HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=before["ETag"])
    assert revalidated.status_code == 200 and revalidated.content == after.content
    again, queries = get(AREAS, HTTP_ACCEPT_ENCODING="br")
    assert queries == 0 and again.content == after.content
    assert pointer_read() == (mali.pk, Edition.objects.get(pk=mali.pk).layers_token)


def test_no_worker_serves_the_previous_version_during_or_after_a_load(mali, bamako_commune):
    """The load runs in another connection (another process, in production) and holds before its commit; this
    worker's memory keeps the previous version throughout."""
    warm(AREAS)
    before, _ = get(AREAS, HTTP_ACCEPT_ENCODING="br")
    commune, population = bamako_commune
    loaded, commit = threading.Event(), threading.Event()
    failures = []

    def load():
        try:
            with transaction.atomic():
                services.population_upsert(edition=mali, level=3, source=population.source, rows=[
                    (commune.pcode, 2017, population.female + 1000, population.male, population.total + 1000)])
                loaded.set()
                assert commit.wait(timeout=60)
        except Exception as error:  # reported by the test below
            failures.append(repr(error))
            loaded.set()
        finally:
            connection.close()

    loader = threading.Thread(target=load)
    loader.start()
    try:
        assert loaded.wait(timeout=120) and not failures
        # While the load is under way the pointer is gone: Django answers, from what has committed, and does not
        # write the pointer back (the load holds the lock).
        during, queries = get(AREAS, HTTP_ACCEPT_ENCODING="br")
        assert queries > 0 and women_of_bamako(during) == women_of_bamako(before)
        assert not pointer_path().exists()
    finally:
        commit.set()
        loader.join(timeout=120)
    assert not failures, failures
    after, _ = get(AREAS, HTTP_ACCEPT_ENCODING="br")
    assert women_of_bamako(after) == women_of_bamako(before) + 1000
    assert after["ETag"] != before["ETag"]


def test_when_the_default_edition_moves_the_fast_path_follows(mali):
    warm(AREAS)
    served, queries = get(AREAS)
    assert queries == 0 and json.loads(served.content)["features"]
    with transaction.atomic():
        Edition.objects.filter(pk=mali.pk).update(is_default=False)
        other = Edition.objects.create(slug="autre", name="Autre", pcode_scheme="autre", is_default=True)
    try:
        assert pointer_read() == (other.pk, other.layers_token)
        moved, queries = get(AREAS)
        assert queries > 0 and json.loads(moved.content)["features"] == []  # the new default has no units
    finally:
        with transaction.atomic():
            # available_apps hides the regions app from the deletion's collector: its layers go first, by hand.
            RenderedLayer.objects.filter(edition=other).delete()
            other.delete()
            Edition.objects.filter(pk=mali.pk).update(is_default=True)
    assert pointer_read() == (mali.pk, Edition.objects.get(pk=mali.pk).layers_token)
    back, queries = get(AREAS)
    assert queries == 0 and back.content == served.content


def test_a_pointer_naming_another_version_is_written_again_by_the_next_request(mali):
    """A pointer that does not match the database (a database restored under running servers) costs the fast path
    for one request, never a wrong answer."""
    warm(AREAS)
    pointer_path().write_text(f"{mali.pk} {'0' * 32}\n")
    served, queries = get(AREAS)
    assert queries > 0 and served.status_code == 200
    assert pointer_read() == (mali.pk, Edition.objects.get(pk=mali.pk).layers_token)
    again, queries = get(AREAS)
    assert queries == 0 and again.content == served.content


def test_without_a_pointer_django_answers_and_writes_it(mali):
    warm(AREAS)
    pointer_path().unlink()
    served, queries = get(AREAS)
    assert queries > 0 and pointer_path().exists()
    again, queries = get(AREAS)
    assert queries == 0 and again.content == served.content
