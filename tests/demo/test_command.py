"""manage.py seed_demo says what it does while it does it, is quiet with -v 0, and is absent from production."""
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
SMALL = ["--organisations", "4", "--zones", "6"]


@pytest.mark.django_db
def test_each_step_is_said_with_its_counts_and_elapsed_time(settings, mali):
    settings.MUSOYA_DEMO_ALLOWED = True
    out = StringIO()
    call_command("seed_demo", *SMALL, stdout=out)
    lines = out.getvalue().splitlines()
    steps = [line for line in lines if line.startswith("  ")]
    for expected in ("plan : ", "comptes de démonstration : 4", "organisations et réseaux : 6", "adhésions : ",
                     "interventions : ", "zones : 6/6", "découpage par commune : 6/6 zones", "atomes de couverture : "):
        assert any(line.strip().startswith(expected) for line in steps), (expected, steps)
    # Elapsed seconds since the start, never going back.
    elapsed = [float(line.rsplit("(", 1)[1].removesuffix(" s)")) for line in steps]
    assert elapsed == sorted(elapsed) and elapsed[-1] > 0


@pytest.mark.django_db
def test_verbosity_zero_is_quiet_and_still_seeds(settings, mali):
    from geo_backend.demo.selectors import demo_present

    settings.MUSOYA_DEMO_ALLOWED = True
    out = StringIO()
    call_command("seed_demo", *SMALL, verbosity=0, stdout=out)
    assert out.getvalue() == ""
    assert demo_present()


@pytest.mark.django_db
def test_bootstrap_seeds_the_demo_through_seed_demo(settings, mali):
    from geo_backend.zones.models import Zone

    settings.MUSOYA_DEMO_ALLOWED = True
    out = StringIO()
    call_command("bootstrap", stdout=out)
    # seed_demo's default size, plus the two picked zones of the collaboration demo's showcase overlap
    assert Zone.objects.filter(intervention__is_demo=True).count() == 120 + 2
    assert "demo-coordinatrice" in out.getvalue()


def installed_apps(settings_module: str, **env) -> list[str]:
    code = "import django; django.setup(); from django.conf import settings; print(*settings.INSTALLED_APPS)"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module, "SECRET_KEY": "x" * 50,
                   "ALLOWED_HOSTS": "example.org", **env}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True,
                            check=True)
    return result.stdout.split()


def test_the_demo_app_is_installed_only_where_demo_data_is_allowed():
    assert "geo_backend.demo" in installed_apps("geo_backend.settings.base", MUSOYA_DEMO_ALLOWED="true")
    assert "geo_backend.demo" not in installed_apps("geo_backend.settings.base", MUSOYA_DEMO_ALLOWED="false")
    production = installed_apps("geo_backend.settings.production", MUSOYA_DEMO_ALLOWED="true")
    assert "geo_backend.demo" not in production and "geo_backend.zones" in production
