"""The dashboard is served by the same WSGI application as the site, at /tableau-de-bord/: pages, callbacks,
geometries and scripts, with the caching and compression the issue asks for."""
import base64
import csv
import gzip
import io
import json
import re

import pytest
from werkzeug.test import Client

from .drawn import number, table

PREFIX = "/tableau-de-bord"


@pytest.fixture
def wsgi_client(db):
    from dashboards import data
    from dashboards.pages import tables
    from geo_backend.wsgi import application

    data.clear_caches()
    tables.TABLES.clear()
    return Client(application)


def filter_values(level=2, metric="organisations", themes=(), network=None, funder=None, period=(2012, 2030)):
    return {"f-level": level, "f-metric": metric, "f-themes": list(themes), "f-network": network,
            "f-funder": funder, "f-period": list(period)}


def call(client, output_start: str, values: dict, *, changed: str | None = None, state: dict | None = None,
         extra: dict | None = None) -> tuple[dict, int]:
    """Posts a callback the way dash-renderer does; returns the decoded response and its size on the wire."""
    dependencies = json.loads(client.get(f"{PREFIX}/_dash-dependencies").get_data())
    (dependency,) = [d for d in dependencies if d["output"].startswith(output_start)]
    known = {**values, "f-bounds": [2012, 2030], **(state or {}), **(extra or {})}

    def described(item):
        key = item["id"] if item["property"] in ("value", "data") else f"{item['id']}.{item['property']}"
        return {**item, "value": known.get(key)}

    outputs = [dict(zip(("id", "property"), part.rsplit(".", 1), strict=True))
               for part in dependency["output"].strip(".").split("...")]
    payload = {"output": dependency["output"], "outputs": outputs if len(outputs) > 1 else outputs[0],
               "inputs": [described(i) for i in dependency["inputs"]],
               "state": [described(s) for s in dependency["state"]],
               "changedPropIds": [changed] if changed else []}
    response = client.post(f"{PREFIX}/_dash-update-component", json=payload, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200, response.get_data()[:500]
    body = response.get_data()
    decoded = gzip.decompress(body) if response.headers.get("Content-Encoding") == "gzip" else body
    return json.loads(decoded)["response"], len(body)


def test_dashboard_page_is_served_at_the_same_address(wsgi_client):
    response = wsgi_client.get(f"{PREFIX}/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Musoya" in page and '<html lang="fr">' in page
    # Dash's scripts come from this server, not from a CDN.
    assert f"{PREFIX}/_dash-component-suites/" in page
    assert "cdn" not in page.lower()


def test_the_page_loads_no_table_component_and_the_sites_own_icon(wsgi_client):
    page = wsgi_client.get(f"{PREFIX}/").get_data(as_text=True)
    assert "/dash_table/" not in page and "/dash/dcc/dash_core_components" in page
    assert "_favicon.ico" not in page and 'rel="icon" type="image/png"' in page and "web/icons/musoya-192" in page


@pytest.mark.parametrize("has_runtime", [True, False])
def test_babels_polyfill_is_left_out_only_when_the_bundle_carries_regenerator(wsgi_client, monkeypatch, has_runtime):
    from dashboards import app

    monkeypatch.setattr(app, "bundle_has_regenerator", lambda: has_runtime)
    page = wsgi_client.get(f"{PREFIX}/").get_data(as_text=True)
    assert ("/deps/polyfill@" in page) is not has_runtime
    assert "/deps/react@" in page and "/deps/react-dom@" in page


@pytest.mark.parametrize(("content", "expected"), [(b"var a;regeneratorRuntime=r;", True), (b"var Plotly;", False)])
def test_a_bundle_carries_regenerator_when_it_defines_it(tmp_path, monkeypatch, content, expected):
    from django.contrib.staticfiles import finders

    from dashboards import app

    bundle = tmp_path / "plotly-musoya.min.js"
    bundle.write_bytes(content)
    monkeypatch.setattr(finders, "find", lambda path: str(bundle))
    monkeypatch.setattr(app, "plotly_bundle_url", lambda: "/static/dashboards/plotly-musoya.min.js")
    assert app.bundle_has_regenerator.__wrapped__() is expected


def test_the_language_cookie_sets_the_page_language(wsgi_client):
    wsgi_client.set_cookie("django_language", "en")
    assert '<html lang="en">' in wsgi_client.get(f"{PREFIX}/").get_data(as_text=True)


def test_fingerprinted_scripts_are_cached_a_year_and_compressed(wsgi_client):
    page = wsgi_client.get(f"{PREFIX}/").get_data(as_text=True)
    script = next(part.split('"')[0] for part in page.split('src="')[1:] if "dash_renderer" in part)
    response = wsgi_client.get(script, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.cache_control.max_age == 31_536_000
    assert response.headers["Content-Encoding"] == "gzip"
    plotly = wsgi_client.get(f"{PREFIX}/_dash-component-suites/plotly/package_data/plotly.min.js",
                             headers={"Accept-Encoding": "gzip"})
    assert plotly.cache_control.max_age == 86_400 and plotly.headers["Content-Encoding"] == "gzip"
    assert len(plotly.get_data()) < 1_600_000  # 4.8 MB before compression


def test_the_empty_base_map_replaces_plotlys_cdn(wsgi_client):
    response = wsgi_client.get(f"{PREFIX}/topojson/world_110m.json")
    assert json.loads(response.get_data())["type"] == "Topology"


def test_shell_layout_offers_the_views_and_a_language_form(wsgi_client):
    layout = json.dumps(json.loads(wsgi_client.get(f"{PREFIX}/_dash-layout").get_data()))
    for path in ("zones-blanches", "chevauchements", "reseaux", "bailleurs"):
        assert f"{PREFIX}/{path}" in layout
    assert "/i18n/setlang/" in layout and "csrfmiddlewaretoken" in layout


def test_the_layout_holds_the_view_of_the_address_that_asked_for_it(wsgi_client):
    """The view's callbacks start with the layout instead of after a route round trip: the layout is built for the
    page's address (its Referer) and says so (page-built-for), so the browser asks for no view (VIEW_WANTED)."""
    host = "http://localhost"
    asked = json.loads(wsgi_client.get(f"{PREFIX}/_dash-layout",
                                       headers={"Referer": f"{host}{PREFIX}/zones-blanches?niveau=3"}).get_data())
    text = json.dumps(asked)
    assert '"gap-map"' in text and '"cov-map"' not in text
    assert f'"{PREFIX}/zones-blanches?niveau=3"' in text  # page-built-for

    # Without a Referer, or from elsewhere, the layout holds no view: the browser asks the route callback for it,
    # whose request depends only on the address (the service worker keeps its answer under that body).
    for headers in ({}, {"Referer": "https://example.org/tableau-de-bord/"}):
        bare = json.dumps(json.loads(wsgi_client.get(f"{PREFIX}/_dash-layout", headers=headers).get_data()))
        assert '"cov-map"' not in bare and '"gap-map"' not in bare
    answer = route_answer(wsgi_client, f"{PREFIX}/zones-blanches?niveau=3")
    assert '"gap-map"' in json.dumps(answer["page"]["children"])
    assert answer["nav-zones-blanches"]["className"] == "active" and answer["nav-couverture"]["className"] == ""
    assert '"cov-map"' in json.dumps(route_answer(wsgi_client, f"{PREFIX}/")["page"]["children"])
    assert "Page introuvable" in json.dumps(route_answer(wsgi_client, f"{PREFIX}/nulle-part")["page"]["children"])
    assert route_answer(wsgi_client, None) is None  # nothing wanted: 204
    assert route_answer(wsgi_client, "//[") is None  # not an address: 204, not a 500
    for odd in (f"{PREFIX}/\x00", f"{PREFIX}/" + "x" * 100_000, f"{PREFIX}/?niveau=99999999999999999999"):
        assert route_answer(wsgi_client, odd) is not None  # a view or "Page introuvable", never a 500


@pytest.mark.parametrize("referrer", [
    "http://[x/",  # not an address
    f"http://localhost{PREFIX}/nulle-part",  # no such view
    f"http://localhost{PREFIX}/?themes=%3Cscript%3E",  # a theme that does not exist
    f"http://localhost{PREFIX}/?niveau=3&nimporte=quoi",  # other text than the filters'
    f"http://localhost{PREFIX}/?themes=vbg&niveau=3",  # the filters, but not as the page writes them
])
def test_the_layout_echoes_no_address_but_a_views_own(wsgi_client, referrer):
    """The layout is compressed and says who is signed in: it never echoes text the request chose, only a view's
    address with its filters written as the page writes them (else no view: the route callback builds it)."""
    response = wsgi_client.get(f"{PREFIX}/_dash-layout", headers={"Referer": referrer})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "nulle-part" not in text and "script" not in text and "nimporte" not in text
    assert '"cov-map"' not in text and '"page-built-for"' in text


@pytest.mark.realdata
def test_the_layout_still_loads_when_the_first_answer_cannot_be_measured(wsgi_client, mali, monkeypatch):
    """Past the statement budget (say), the landing view comes without its first answer, which its callback then
    gives: the menu, the filters and the language switch are there all the same."""
    from django.db import OperationalError

    from dashboards import data

    def too_slow(*args, **kwargs):
        raise OperationalError("canceling statement due to statement timeout")

    monkeypatch.setattr(data, "coverage_frame", too_slow)
    response = wsgi_client.get(f"{PREFIX}/_dash-layout", headers={"Referer": f"http://localhost{PREFIX}/"})
    assert response.status_code == 200
    text = json.dumps(json.loads(response.get_data()))
    assert '"cov-map"' in text and '"figure"' not in text and '"f-themes"' in text and "/i18n/setlang/" in text


@pytest.mark.realdata
def test_the_coverage_view_comes_with_its_first_answer_drawn(wsgi_client, mali):
    """The landing view's map, table and summary are in the layout: its callback's first call has nothing to do."""
    layout = json.loads(wsgi_client.get(f"{PREFIX}/_dash-layout",
                                        headers={"Referer": f"http://localhost{PREFIX}/?niveau=1"}).get_data())
    found = {}

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props", {})
            if props.get("id") in ("cov-map", "cov-table", "cov-summary", "cov-drawn-for"):
                found[props["id"]] = props
            for value in [*props.values(), *node.values()]:
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(layout)
    assert len(found["cov-map"]["figure"]["data"][1]["locations"]) == 9  # the regions, as the query asks
    assert len(table(found["cov-table"]["children"])[1]) == 9
    assert "femmes couvertes" in found["cov-summary"]["children"][0]
    assert found["cov-drawn-for"]["data"] == "?niveau=1"
    drawn, _size = call(wsgi_client, "..cov-map.figure", filter_values(level=1), state={"cov-drawn-for": None})
    assert drawn["cov-map"]["figure"] == found["cov-map"]["figure"]  # what the callback would have answered
    dependencies = json.loads(wsgi_client.get(f"{PREFIX}/_dash-dependencies").get_data())
    (dependency,) = [d for d in dependencies if d["output"].startswith("..cov-map.figure")]
    known = {**filter_values(level=1), "f-bounds": [2012, 2030], "cov-drawn-for": "?niveau=1"}
    described = [{**i, "value": known.get(i["id"])} for i in dependency["state"]]
    inputs = [{**i, "value": known.get(i["id"])} for i in dependency["inputs"]]
    outputs = [dict(zip(("id", "property"), part.rsplit(".", 1), strict=True))
               for part in dependency["output"].strip(".").split("...")]
    skipped = wsgi_client.post(f"{PREFIX}/_dash-update-component", json={
        "output": dependency["output"], "outputs": outputs, "inputs": inputs, "state": described,
        "changedPropIds": []})
    assert skipped.status_code == 204


def route_answer(client, wanted: str | None) -> dict | None:
    """The route callback's answer for the view wanted (None when it has nothing to update)."""
    dependencies = json.loads(client.get(f"{PREFIX}/_dash-dependencies").get_data())
    (dependency,) = [d for d in dependencies if "page.children" in d["output"]]
    outputs = [dict(zip(("id", "property"), part.rsplit(".", 1), strict=True))
               for part in dependency["output"].strip(".").split("...")]
    payload = {"output": dependency["output"], "outputs": outputs, "changedPropIds": ["view-wanted.data"],
               "inputs": [{"id": "view-wanted", "property": "data", "value": wanted}], "state": []}
    response = client.post(f"{PREFIX}/_dash-update-component", json=payload)
    if response.status_code == 204:
        return None
    assert response.status_code == 200, response.get_data()[:500]
    return json.loads(response.get_data())["response"]


@pytest.mark.realdata
def test_the_page_asks_early_for_what_its_first_map_needs(wsgi_client, mali):
    """Layout, callbacks, the level's geometries and dcc.Graph's chunk are preloaded with a map view's page (the
    renderer would ask only after its scripts, ~560 KB on a slow link); a view without a map preloads no geometry."""
    from dashboards.pages import common

    def preloads(path):
        page = wsgi_client.get(path).get_data(as_text=True)
        return re.findall(r'<link rel="preload" href="([^"]+)"', page)

    on_communes = preloads(f"{PREFIX}/?niveau=3")
    assert {f"{PREFIX}/_dash-layout", f"{PREFIX}/_dash-dependencies", common.geometry_url(3),
            f"{PREFIX}/_dash-component-suites/dash/dcc/async-graph.js"} == set(on_communes)
    assert all(wsgi_client.get(address).status_code == 200 for address in on_communes)
    assert not [address for address in preloads(f"{PREFIX}/reseaux") if "/geo/" in address]


@pytest.mark.realdata
def test_geometry_is_served_once_at_a_fingerprinted_address(wsgi_client, mali):
    from dashboards.pages import common

    address = common.geometry_url(3)
    assert address.startswith(f"{PREFIX}/geo/3-")
    response = wsgi_client.get(address, headers={"Accept-Encoding": "gzip"})
    assert response.cache_control.max_age == 31_536_000 and response.cache_control.immutable
    assert response.headers["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(response.get_data()))["features"]) == 701
    stale = wsgi_client.get(f"{PREFIX}/geo/3-0000000000000000.geojson")
    assert stale.status_code == 200 and stale.cache_control.no_cache


@pytest.mark.realdata
def test_map_callback_answers_with_the_regions(wsgi_client, mali):
    response, _size = call(wsgi_client, "..cov-map.figure", filter_values(level=1))
    figure = response["cov-map"]["figure"]
    assert len(figure["data"][1]["locations"]) == 9
    assert isinstance(figure["data"][1]["geojson"], str)  # an address, not the geometry
    header, rows = table(response["cov-table"]["children"])
    women = [number(row[header.index("Femmes (2017)")]) for row in rows]
    assert len(rows) == 9 and sum(women) == 9_509_945
    assert "9 509 945" in response["cov-summary"]["children"][0]


@pytest.mark.realdata
def test_a_filter_change_on_communes_sends_values_only(wsgi_client, mali):
    first, first_size = call(wsgi_client, "..cov-map.figure", filter_values(level=3))
    assert len(first["cov-map"]["figure"]["data"][1]["locations"]) == 701
    changed, size = call(wsgi_client, "..cov-map.figure", filter_values(level=3, themes=["vbg"]),
                         changed="f-themes.value")
    patch = changed["cov-map"]["figure"]
    assert "__dash_patch_update" in patch
    assert "geojson" not in json.dumps(patch) and "locations" not in json.dumps(patch)
    assert size < 50_000 and size < first_size
    assert len(table(changed["cov-table"]["children"])[1]) == 15  # one page of the table


@pytest.mark.realdata
def test_csv_export_callback_sends_the_whole_table(wsgi_client, mali):
    response, _size = call(wsgi_client, "cov-download.data", filter_values(level=2),
                           extra={"cov-csv.n_clicks": 1, "cov-xlsx.n_clicks": 0,
                                  "cov-order": {"page": 2, "column": "women", "descending": True}},
                           changed="cov-csv.n_clicks")
    download = response["cov-download"]["data"]
    assert download["filename"].startswith("musoya-couverture-") and download["filename"].endswith(".csv")
    text = base64.b64decode(download["content"]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["P-code", "Cercle", "Région"] and len(rows) == 1 + 50
    women = [int(row[rows[0].index("Femmes (2017)")]) for row in rows[1:]]
    assert women == sorted(women, reverse=True)  # the whole table, in the order shown


def sort_buttons(columns: list[str], clicked: str) -> list[dict]:
    """The sort buttons' part of a paging callback's inputs, as dash-renderer sends it (pattern-matching ids)."""
    return [{"id": {"type": "cov-sort", "column": c}, "property": "n_clicks", "value": 1 if c == clicked else None}
            for c in columns]


def click(client, clicked: str, order: dict, *, level: int = 2) -> tuple[dict, int]:
    """Posts the table's paging and sorting callback for a click on cov-previous, cov-next or a column's sort
    button, the order kept in the page being `order`."""
    dependencies = json.loads(client.get(f"{PREFIX}/_dash-dependencies").get_data())
    (dependency,) = [d for d in dependencies if d["output"].startswith("..cov-table.children@")]
    known = {**filter_values(level=level), "f-bounds": [2012, 2030], "cov-order": order}
    columns = ["pcode", "unit", "parent", "organisations", "interventions", "women", "women_covered", "share",
               "women_per_organisation"]
    sorting = clicked not in ("cov-previous", "cov-next")
    inputs = [{"id": "cov-previous", "property": "n_clicks", "value": 1 if clicked == "cov-previous" else None},
              {"id": "cov-next", "property": "n_clicks", "value": 1 if clicked == "cov-next" else None},
              sort_buttons(columns, clicked if sorting else "")]
    changed = (json.dumps({"column": clicked, "type": "cov-sort"}, separators=(",", ":")) if sorting else clicked)
    outputs = [dict(zip(("id", "property"), part.rsplit(".", 1), strict=True))
               for part in dependency["output"].strip(".").split("...")]
    payload = {"output": dependency["output"], "outputs": outputs, "inputs": inputs,
               "state": [{**s, "value": known.get(s["id"])} for s in dependency["state"]],
               "changedPropIds": [changed + ".n_clicks"]}
    response = client.post(f"{PREFIX}/_dash-update-component", json=payload)
    return (response.get_json() or {}).get("response", {}), response.status_code


@pytest.mark.realdata
def test_the_table_is_paged_and_sorted_on_the_server(wsgi_client, mali):
    shown, status = click(wsgi_client, "cov-next", {"page": 0, "column": None, "descending": False})
    assert status == 200
    header, second = table(shown["cov-table"]["children"])
    assert len(second) == 15 and shown["cov-order"]["data"] == {"page": 1, "column": None, "descending": False}
    assert "Page 2 sur 4" in json.dumps(shown["cov-table"]["children"], ensure_ascii=False)  # 50 cercles

    women = header.index("Femmes (2017)")
    shown, _status = click(wsgi_client, "women", {"page": 1, "column": None, "descending": False})
    _header, rows = table(shown["cov-table"]["children"])
    ascending = [number(row[women]) for row in rows]
    assert shown["cov-order"]["data"] == {"page": 0, "column": "women", "descending": False}
    shown, _status = click(wsgi_client, "women", shown["cov-order"]["data"])  # again: the other way round
    descending = [number(row[women]) for row in table(shown["cov-table"]["children"])[1]]
    assert ascending == sorted(ascending) and descending == sorted(descending, reverse=True)
    assert max(ascending) < min(descending)  # the 15 smallest and the 15 largest of all 50 cercles

    shown, _status = click(wsgi_client, "cov-previous", {"page": 3, "column": "women", "descending": True})
    assert shown["cov-order"]["data"] == {"page": 2, "column": "women", "descending": True}


@pytest.mark.realdata
def test_numbers_in_the_table_follow_the_language(wsgi_client, mali):
    wsgi_client.set_cookie("django_language", "en")
    shown, _status = click(wsgi_client, "women", {"page": 0, "column": "women", "descending": False})
    header, rows = table(shown["cov-table"]["children"])
    assert header[:2] == ["P-code", "Cercle"] and "Women (2017)" in header
    biggest = rows[0][header.index("Women (2017)")]
    assert "," in biggest and " " not in biggest and number(biggest, "en") > 100_000


@pytest.mark.realdata
def test_buttons_drawn_again_are_no_click(wsgi_client, mali):
    dependencies = json.loads(wsgi_client.get(f"{PREFIX}/_dash-dependencies").get_data())
    (dependency,) = [d for d in dependencies if d["output"].startswith("..cov-table.children@")]
    response = wsgi_client.post(f"{PREFIX}/_dash-update-component", json={
        "output": dependency["output"], "outputs": [{"id": "cov-table", "property": "children"},
                                                    {"id": "cov-order", "property": "data"}],
        "inputs": [{"id": "cov-previous", "property": "n_clicks", "value": None},
                   {"id": "cov-next", "property": "n_clicks", "value": None}, []],
        "state": [{**s, "value": None} for s in dependency["state"]], "changedPropIds": ["cov-next.n_clicks"]})
    assert response.status_code == 204  # PreventUpdate: nothing computed, nothing sent


def test_a_new_app_is_ready_before_its_first_request(db):
    """Dash sets itself up on its first request; concurrent first requests of a gunicorn worker once found the list
    of scripts it serves half built. create_dash_app finishes that set-up itself."""
    from dashboards.app import create_dash_app

    app = create_dash_app()
    assert "dcc/dash_core_components.js" in app.registered_paths["dash"]
    assert "package_data/plotly.min.js" in app.registered_paths["plotly"]


@pytest.mark.parametrize(("language", "locale"), [("fr", "fr"), ("en", "en")])
def test_plotly_speaks_the_active_language(language, locale):
    from django.utils import translation

    from dashboards.pages import common

    with translation.override(language):
        assert common.graph_config("couverture")["locale"] == locale
