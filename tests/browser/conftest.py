"""Browser tests: Debian's Chromium driven by Playwright against a real gunicorn serving the test database.

They run in their own pytest session (`pytest -m browser`, see the Makefile) because the site's data is committed
once for the whole session (reference data + demo data) and shared by the server process and the tests.
"""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium tries to reach Google's services at start, which this network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
DEMO_PASSWORD = "musoya-demo"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # pytest-django creates the test database only for sessions with database-marked tests.
            item.add_marker(pytest.mark.django_db)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def site_data(django_db_setup, django_db_blocker):
    """Reference and demo data, committed in the test database for the whole browser session."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("bootstrap", "--no-demo", verbosity=0)
        call_command("seed_demo", "--organisations", "12", "--zones", "40", verbosity=0)


@pytest.fixture(scope="session")
def live_url(site_data, django_db_blocker):
    """A gunicorn serving the test database on a free loopback port; stopped at the end of the session."""
    database = settings.DATABASES["default"]
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "geo_backend.settings.test",
           "DATABASE_URL": f"postgis://{database['USER']}@{database['HOST'].replace('/', '%2F')}"
                           f"{':' + str(database['PORT']) if database.get('PORT') else ''}/{database['NAME']}"}
    if database.get("PASSWORD"):
        env["DATABASE_URL"] = env["DATABASE_URL"].replace(f"{database['USER']}@",
                                                          f"{database['USER']}:{database['PASSWORD']}@")
    log = Path(settings.BASE_DIR) / "var" / "browser-server.log"
    log.parent.mkdir(exist_ok=True)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "geo_backend.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "4", "--no-control-socket", "--timeout", "60"],
        cwd=settings.BASE_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):  # up to 20 s
            try:
                urllib.request.urlopen(url + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"the test server did not start; see {log}")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        # Let pytest-django drop the test database: end the server's sessions if they linger.
        from django.db import connection

        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")


@pytest.fixture(scope="session")
def browser(live_url):  # the data and the server first: Playwright's event loop then owns this thread
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the tests' own ORM reads are plain synchronous
    # code that never runs inside that loop, so Django's guard against async use does not apply here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's Chromium is missing: sudo apt-get install -y chromium (make test installs it)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_url):
    """A fresh browser context (no cookies, no cache, no service worker) at the test server, French by default."""
    context = browser.new_context(base_url=live_url, locale="fr-FR", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_url):
    """A 360 px wide touch screen."""
    context = browser.new_context(base_url=live_url, locale="fr-FR", viewport={"width": 360, "height": 740},
                                  has_touch=True, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state("networkidle")
