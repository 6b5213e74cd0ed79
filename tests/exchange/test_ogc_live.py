"""GIS clients against a live server: GDAL's own tools (Debian's ogrinfo and ogr2ogr) read the OGC API - Features
endpoint at /ogc/ (collections, features, paging, bounding boxes) and convert the GeoJSON export to a GeoPackage.

A gunicorn serves the test database on a loopback port; the interventions it shows are committed by a module
fixture and removed (through the services, so the coverage atoms follow) at the end.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

# django_db: pytest-django sets the test database up only for sessions with database-marked tests.
pytestmark = [pytest.mark.django_db, pytest.mark.realdata,
              pytest.mark.skipif(not shutil.which("ogrinfo"), reason="GDAL's command-line tools (gdal-bin) missing")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def published_zones(mali, django_db_blocker):
    """A public, a coarse and a restricted validated intervention, committed for the server to see."""
    from tests import factories

    assert connection.settings_dict["NAME"].startswith("test"), "committed test data belongs in a test database"
    from django.contrib.auth.models import User

    with django_db_blocker.unblock():
        last_user = User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        org = factories.organisation("Association OGC (test)")
        made = {
            "public": factories.intervention_in_units(org, units=("ML040216",), title="OGC publique"),
            "coarse": factories.intervention(org, sensitivity="coarse", title="OGC approximative"),
            "restricted": factories.intervention_in_units(org, sensitivity="restricted", title="OGC restreinte"),
        }
    yield made
    from geo_backend.zones import services

    with django_db_blocker.unblock():
        admin = factories.admin_audience()
        for intervention in made.values():
            intervention.refresh_from_db()
            services.intervention_delete(audience=admin, intervention=intervention,
                                         expected_version=intervention.version)
        org.delete()
        User.objects.filter(pk__gt=last_user).delete()  # the administrators the factories made


@pytest.fixture(scope="module")
def live_server_url(published_zones, django_db_blocker):
    database = connection.settings_dict
    port = _free_port()
    url = f"postgis://{database['USER']}@{database['HOST'].replace('/', '%2F')}"
    url += f":{database['PORT']}" if database.get("PORT") else ""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "geo_backend.settings.test",
           "DATABASE_URL": f"{url}/{database['NAME']}"}
    log = Path(settings.BASE_DIR) / "var" / "ogc-server.log"
    log.parent.mkdir(exist_ok=True)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "geo_backend.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--threads", "4", "--no-control-socket", "--timeout", "60"],
        cwd=settings.BASE_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"the test server did not start; see {log}")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")


def gdal(*args: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "GDAL_HTTP_TIMEOUT": "60", "CPL_DEBUG": "OFF"})
    assert done.returncode == 0, f"{' '.join(args)}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done.stdout


def test_ogrinfo_lists_the_collections(live_server_url):
    listing = gdal("ogrinfo", "-ro", "-q", f"OAPIF:{live_server_url}/ogc/")
    layers = set(re.findall(r"^\d+: (\S+)", listing, flags=re.MULTILINE))
    assert layers == {"zones", "admin1", "admin2", "admin3", "localities"}


def test_ogrinfo_reads_the_zones_as_a_visitor_sees_them(live_server_url):
    zones = gdal("ogrinfo", "-ro", "-al", f"OAPIF:{live_server_url}/ogc/", "zones")
    assert "OGC publique" in zones and "OGC approximative" in zones
    assert "OGC restreinte" not in zones  # restricted: never public
    assert re.search(r"precision \(String\) = communes", zones)
    assert "Feature Count: 2" in gdal("ogrinfo", "-ro", "-so", f"OAPIF:{live_server_url}/ogc/", "zones")


def test_paging_and_bounding_boxes(live_server_url):
    # 701 communes read 100 at a time: GDAL follows the "next" links.
    communes = gdal("ogrinfo", "-ro", "-so", "-oo", "PAGE_SIZE=100", f"OAPIF:{live_server_url}/ogc/", "admin3")
    assert "Feature Count: 701" in communes
    # Around Ségou town: a few cercles, not the 50.
    boxed = gdal("ogrinfo", "-ro", "-al", "-q", "-spat", "-6.4", "13.3", "-6.1", "13.6",
                 f"OAPIF:{live_server_url}/ogc/", "admin2")
    names = set(re.findall(r"name \(String\) = (.+)", boxed))
    assert "Segou" in names and 0 < len(names) < 10, names


def test_ogr2ogr_converts_the_geojson_export_to_a_geopackage(live_server_url, tmp_path):
    target = tmp_path / "zones.gpkg"
    gdal("ogr2ogr", "-f", "GPKG", str(target), f"{live_server_url}/api/v1/exports/interventions/?format=geojson")
    summary = gdal("ogrinfo", "-ro", "-so", "-al", str(target))
    assert "Feature Count: 2" in summary and "Polygon" in summary
