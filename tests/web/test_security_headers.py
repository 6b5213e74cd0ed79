"""Every page (site, signed-in space, admin, API docs, dashboard) carries a Content-Security-Policy that allows no
inline script, refuses framing and sniffing, and loads no script or stylesheet from another origin."""
import base64
import hashlib
import re

import pytest
from werkzeug.test import Client as WsgiClient

from tests import factories

pytestmark = pytest.mark.django_db

SITE_PAGES = ["/", "/en/", "/organisations/", "/a-propos/", "/comptes/connexion/", "/hors-ligne/",
              "/comptes/mot-de-passe/", "/admin/login/", "/api/docs/", "/api/redoc/", "/page-inconnue/"]
SIGNED_IN_PAGES = ["/espace/", "/espace/interventions/nouvelle/", "/espace/validation/", "/admin/",
                   "/admin/auth/user/", "/admin/auth/user/add/"]
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
REMOTE = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)
EVENT_HANDLER = re.compile(r"""<[^>]+\son[a-z]+\s*=""", re.I)


def policy_of(headers) -> dict[str, list[str]]:
    value = headers.get("Content-Security-Policy")
    assert value, "no Content-Security-Policy"
    directives = {}
    for part in value.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def check_page(headers, html: str, where: str) -> None:
    policy = policy_of(headers)
    scripts = policy.get("script-src", policy.get("default-src"))
    assert scripts is not None, where
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts and "*" not in scripts, where
    assert not any(s.startswith(("http:", "https:")) for s in scripts), where
    assert policy.get("frame-ancestors") == ["'none'"], where
    assert policy.get("object-src") == ["'none'"], where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy"), where
    assert not REMOTE.findall(html), (where, REMOTE.findall(html))
    assert not EVENT_HANDLER.findall(html), (where, EVENT_HANDLER.findall(html)[:3])
    for attributes, body in SCRIPT.findall(html):
        if "src=" in attributes or 'type="application/json"' in attributes or not body.strip():
            continue
        # An inline script runs only if the policy lists its hash (the dashboard's are Dash's own).
        assert sha256(body) in scripts, (where, body[:120])


@pytest.mark.parametrize("path", SITE_PAGES)
def test_public_pages_have_a_strict_policy(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404), (path, response.status_code)
    check_page(response, response.content.decode(), path)


def test_signed_in_and_admin_pages_have_a_strict_policy(client):
    person = factories.user(superuser=True)
    organisation = factories.organisation(editor=person)
    client.force_login(person)
    for path in [*SIGNED_IN_PAGES, f"/organisations/{organisation.slug}/"]:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        check_page(response, response.content.decode(), path)


def test_swagger_ui_and_redoc_are_served_from_our_own_static_files(client):
    for path in ("/api/docs/", "/api/redoc/"):
        html = client.get(path).content.decode()
        sources = re.findall(r"""<script[^>]*\bsrc="([^"]+)""", html)
        assert sources, path
        for source in sources:
            assert source.startswith("/"), source
            assert client.get(source).status_code == 200, source
    assert "swagger-ui-bundle.js" in client.get("/api/docs/").content.decode()


def test_the_dashboard_has_the_same_policy_with_the_hashes_of_its_inline_scripts(db):
    from geo_backend.wsgi import application

    client = WsgiClient(application)
    for path in ("/tableau-de-bord/", "/tableau-de-bord/zones-blanches"):
        response = client.get(path)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert any(not body.strip() == "" and "src=" not in attributes and "application/json" not in attributes
                   for attributes, body in SCRIPT.findall(html)), "the dashboard has no inline script to check"
        check_page(response.headers, html, path)
    layout = client.get("/tableau-de-bord/_dash-layout")
    assert layout.headers.get("X-Content-Type-Options") == "nosniff"
