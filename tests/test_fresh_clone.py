"""A clone with nothing beside it loads Mali's reference data from the files the repository ships.

The clone goes into an empty temporary folder (so no ../shared next to it), BOUNDARY_MIRROR and the download address
are emptied, and the clone's own manage.py migrates a database of its own and loads the reference data. The counts
and totals are read back with plain SQL. It tests what is committed (a local `git clone` of this checkout).
"""
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

pytestmark = pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(),
                                reason="needs git and a git checkout to clone")


def _server_url(database: str) -> str:
    db = settings.DATABASES["default"]
    host = db["HOST"].replace("/", "%2F")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgis://{db['USER']}{password}@{host}{port}/{database}"


def _connect(database: str):
    db = settings.DATABASES["default"]
    return psycopg.connect(dbname=database, user=db["USER"], password=db.get("PASSWORD") or None,
                           host=db["HOST"] or None, port=db.get("PORT") or None, autocommit=True)


@pytest.fixture
def empty_database():
    name = f"musoya_fresh_clone_{uuid.uuid4().hex[:8]}"
    with _connect("postgres") as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with _connect("postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_fresh_clone_loads_the_reference_data_it_ships(tmp_path, empty_database):
    clone = tmp_path / "musoya"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True)
    assert not (tmp_path / "shared").exists()
    env = {**os.environ, "DATABASE_URL": _server_url(empty_database), "BOUNDARY_MIRROR": "",
           "BOUNDARY_DOWNLOAD_BASE_URL": "", "DJANGO_SETTINGS_MODULE": "geo_backend.settings.base",
           "MUSOYA_DEMO_ALLOWED": "false"}
    for command in (["migrate", "--noinput", "-v", "0"], ["bootstrap", "--no-demo"]):
        result = subprocess.run([sys.executable, "manage.py", *command], cwd=clone, env=env, capture_output=True,
                                text=True, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
    assert (clone / "var" / "reference-data" / "admin3_communes.geojson").is_file()  # unpacked from the clone

    with _connect(empty_database) as conn:
        levels = dict(conn.execute("SELECT level, count(*) FROM regions_adminunit GROUP BY level").fetchall())
        localities = conn.execute("SELECT count(*) FROM regions_locality").fetchone()[0]
        female, total = conn.execute(
            "SELECT p.female, p.total FROM regions_population p JOIN regions_adminunit u ON u.id = p.unit_id "
            "WHERE u.level = 0 AND p.year = 2017").fetchone()
        communes_2017 = conn.execute(
            "SELECT count(*) FROM regions_population p JOIN regions_adminunit u ON u.id = p.unit_id "
            "WHERE u.level = 3 AND p.year = 2017").fetchone()[0]
        # The crosswalk: ML0101 is Kayes in the COD 2015 scheme and Bafoulabé in the older one.
        kayes = conn.execute("SELECT name FROM regions_adminunit WHERE pcode = 'ML0101'").fetchone()[0]
        older = conn.execute(
            "SELECT u.name FROM regions_pcodealias a JOIN regions_adminunit u ON u.id = a.unit_id "
            "WHERE a.scheme = 'hdx2017' AND a.pcode = 'ML0101'").fetchone()[0]
    assert levels == {0: 1, 1: 9, 2: 50, 3: 701, 4: 71}
    assert localities == 18769
    assert (female, total) == (9_509_945, 18_864_526)
    assert communes_2017 == 701
    assert kayes.startswith("Kayes") and older.startswith("Bafoul")
