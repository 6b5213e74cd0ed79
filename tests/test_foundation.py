"""The project's promises: the conda file matches the lock, the manifest matches the mirror, pages answer."""
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def requirement_name(line: str) -> str:
    return re.split(r"[<>=\[ ]", line.strip(), maxsplit=1)[0].lower()


def test_environment_yml_names_the_same_python_packages_as_the_lock():
    lock = dict(line.lower().split("==") for line in (ROOT / "requirements.lock").read_text().split() if "==" in line)
    direct = [requirement_name(line) for line in (ROOT / "requirements.in").read_text().splitlines()
              if line.strip() and not line.startswith("#")]
    conda = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        match = re.match(r"\s+- ([A-Za-z0-9_.-]+)(\[[a-z]+\])?==(\S+)$", line)
        if match:
            conda[match.group(1).lower()] = match.group(3)
    assert sorted(conda) == sorted(direct)
    assert {name: lock[name] for name in direct} == conda


def test_manifest_checksums_match_the_mirror_files():
    manifest = json.loads((ROOT / "data" / "regions" / "manifest.json").read_text())
    mirror = Path(settings.BOUNDARY_MIRROR) if settings.BOUNDARY_MIRROR else None
    if mirror is None or not mirror.is_dir():
        pytest.skip("no boundary mirror on this machine")
    for source in manifest["sources"]:
        digest = hashlib.sha256((mirror / source["file"]).read_bytes()).hexdigest()
        assert digest == source["sha256"], source["file"]


def test_no_data_file_is_committed():
    data_files = [p for p in (ROOT / "data").rglob("*") if p.suffix in {".geojson", ".csv", ".shp", ".gpkg", ".zip"}]
    assert data_files == []


@pytest.mark.django_db
def test_home_page_is_french_by_default_with_attribution(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Qui fait quoi, où" in html
    assert "COD-AB Mali 2015" in html


@pytest.mark.django_db
def test_english_is_one_switch_away(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Who does what, where" in html


@pytest.mark.django_db
def test_api_schema_answers(client):
    response = client.get("/api/")
    assert response.status_code == 200
    assert b"openapi" in response.content


def test_production_settings_pass_the_deploy_checks():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "geo_backend.settings.production",
           "SECRET_KEY": "a-long-random-production-secret-" + "Zq9!x7Lp" * 6, "ALLOWED_HOSTS": "musoya.example.org"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
