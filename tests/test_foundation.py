"""The project's promises: the conda file matches the lock, the manifest matches the mirror, pages answer."""
import hashlib
import json
import lzma
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


def pins(*lock_files: str) -> dict[str, str]:
    return dict(line.lower().split("==") for name in lock_files for line in (ROOT / name).read_text().split()
                if "==" in line)


def direct_requirements(*in_files: str) -> list[str]:
    return [requirement_name(line) for name in in_files for line in (ROOT / name).read_text().splitlines()
            if line.strip() and not line.startswith("#")]


def test_environment_yml_names_the_same_python_packages_as_the_locks():
    lock = pins("requirements.lock", "requirements-dev.lock")
    direct = direct_requirements("requirements.in", "requirements-dev.in")
    conda = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        match = re.match(r"\s+- ([A-Za-z0-9_.-]+)(\[[a-z]+\])?==(\S+)$", line)
        if match:
            conda[match.group(1).lower()] = match.group(3)
    assert sorted(conda) == sorted(direct)
    assert {name: lock[name] for name in direct} == conda


def test_serving_needs_no_test_tools_and_the_locks_agree():
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {"pytest", "playwright", "ruff", "hypothesis", "pytest-django"} <= set(dev)
    assert not {"pytest", "playwright", "ruff", "hypothesis", "pytest-django"} & set(runtime)
    assert not set(runtime) & set(dev)  # the dev lock only adds packages, at versions the runtime lock allows
    assert set(direct_requirements("requirements.in")) <= set(runtime)


def test_every_source_ships_compressed_with_the_checksum_of_its_original():
    manifest = json.loads((ROOT / "data" / "regions" / "manifest.json").read_text())
    assert len(manifest["sources"]) == 9
    for source in manifest["sources"]:
        packed = ROOT / "data" / "regions" / source["bundled"]
        assert hashlib.sha256(packed.read_bytes()).hexdigest() == source["bundled_sha256"], source["bundled"]
        assert hashlib.sha256(lzma.decompress(packed.read_bytes())).hexdigest() == source["sha256"], source["file"]
        assert source["licence"] and source["attribution"] and source["upstream"] and source["upstream_url"]


def test_only_the_manifest_sources_are_committed_and_only_compressed():
    manifest = json.loads((ROOT / "data" / "regions" / "manifest.json").read_text())
    data_files = {p.name for p in (ROOT / "data").rglob("*") if p.is_file() and p.name not in {"manifest.json",
                                                                                                "README.md"}}
    assert data_files == {source["bundled"] for source in manifest["sources"]}
    assert sum((ROOT / "data" / "regions" / name).stat().st_size for name in data_files) < 2_000_000


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


def test_property_tests_are_derandomized_unless_exploring_on_purpose():
    from hypothesis import settings as hypothesis_settings

    assert hypothesis_settings.get_profile("deterministic").derandomize
    if os.environ.get("HYPOTHESIS_PROFILE", "deterministic") == "deterministic":
        assert hypothesis_settings.default.derandomize and hypothesis_settings.default.database is None
