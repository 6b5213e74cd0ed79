"""What people do on the site, in Debian's Chromium: visitors, editors, coordinators, offline use, languages."""
import json
import re
import time
from pathlib import Path

import mapbox_vector_tile
import pytest
from django.conf import settings

from .conftest import sign_in

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"


def api_get(page, url):
    return page.evaluate("url => fetch(url, {credentials: 'same-origin'}).then(r => r.json())", url)


# Predicates are passed to wait_for_function as functions ("() => ..."): Playwright evaluates a bare expression with
# eval(), which the site's Content-Security-Policy rightly refuses.


def zone_count_on_map(page) -> int:
    page.wait_for_function("() => document.getElementById('map').dataset.zones !== undefined")
    return int(page.get_attribute("#map", "data-zones"))


def wait_for_map_update(page, previous_text):
    page.wait_for_function("t => document.getElementById('zone-count').textContent !== t", arg=previous_text)


# --- The zones come as vector tiles: find them by clicking the map, as a person does ---------------------------


def point_of_only_one_zone(features: list[dict]) -> tuple[int, float, float]:
    """A zone of a GeoJSON FeatureCollection's features and a point inside it that no other zone covers."""
    from shapely.geometry import shape

    shapes = {f["id"]: shape(f["geometry"]) for f in features}
    for zone_id, geometry in shapes.items():
        point = geometry.representative_point()
        if not any(other.covers(point) for other_id, other in shapes.items() if other_id != zone_id):
            return zone_id, point.x, point.y
    raise AssertionError("every zone overlaps another one everywhere")


def open_zone_popup(page, lon: float, lat: float, zoom: int = 11) -> str:
    """Centres the home map on a point, waits for its zone tiles, clicks there; returns the popup's text."""
    page.evaluate("([lat, lon, zoom]) => musoyaMap.setView([lat, lon], zoom, {animate: false})", [lat, lon, zoom])
    page.wait_for_load_state("networkidle")
    box = page.locator("#map").bounding_box()
    point = page.evaluate("([lat, lon]) => { const p = musoyaMap.latLngToContainerPoint([lat, lon]);"
                          " return [p.x, p.y]; }", [lat, lon])
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    page.wait_for_function("() => document.getElementById('map').dataset.popupZone !== undefined")
    return page.inner_text(".leaflet-popup-content")


def test_visitor_filters_the_map_by_theme_and_opens_a_profile(page):
    page.goto("/")
    all_zones = zone_count_on_map(page)
    assert all_zones > 0
    before = page.inner_text("#zone-count")
    page.select_option("#filter-theme", "vbg")
    wait_for_map_update(page, before)
    vbg_zones = zone_count_on_map(page)
    assert 0 < vbg_zones < all_zones
    shown = api_get(page, "/api/v1/zones/?theme=vbg&limit=1000")
    assert all(any(t.startswith("vbg") for t in f["properties"]["themes"]) for f in shown["features"])
    assert "theme=vbg" in page.url  # the view can be shared
    # Click a vbg zone where no other zone lies: its popup, asked from the API for that one zone, leads to the
    # organisation's profile.
    zone_id, lon, lat = point_of_only_one_zone(shown["features"])
    title = next(f["properties"]["title"] for f in shown["features"] if f["id"] == zone_id)
    assert title in open_zone_popup(page, lon, lat)
    assert page.get_attribute("#map", "data-popup-zone") == str(zone_id)
    page.get_by_role("link", name="Voir le profil").click()
    page.wait_for_load_state("networkidle")
    assert "/organisations/" in page.url
    assert page.inner_text("h1")


def test_at_national_zoom_a_click_says_how_many_zones_are_there_and_brings_them_closer(page):
    """Up to zoom 7 the tiles merge each theme's touching zones (zones/tiles.py): the popup counts them and its
    button zooms in to where the zones are features of their own."""
    from shapely.geometry import shape

    page.goto("/")
    zone_count_on_map(page)
    shown = api_get(page, "/api/v1/zones/?limit=1000")["features"]
    largest = max(shown, key=lambda f: shape(f["geometry"]).area)
    point = shape(largest["geometry"]).representative_point()
    page.evaluate("([lat, lon]) => musoyaMap.setView([lat, lon], 6, {animate: false})", [point.y, point.x])
    page.wait_for_load_state("networkidle")
    box = page.locator("#map").bounding_box()
    xy = page.evaluate("([lat, lon]) => { const p = musoyaMap.latLngToContainerPoint([lat, lon]);"
                       " return [p.x, p.y]; }", [point.y, point.x])
    page.mouse.click(box["x"] + xy[0], box["y"] + xy[1])
    page.wait_for_function("() => document.getElementById('map').dataset.popupMerged !== undefined")
    text = page.inner_text(".leaflet-popup-content")
    assert re.search(r"\d+ zones? à cet endroit", text), text
    assert int(page.get_attribute("#map", "data-popup-merged")) >= 1
    page.get_by_role("button", name="Voir les zones une à une").click()
    # (the map may animate its zoom: waited for, not read at once)
    page.wait_for_function("() => musoyaMap.getZoom() >= 8")


def draw_square(page, map_selector="#map", size=60):
    """Draws a square with Leaflet.draw's polygon tool by clicking its corners, then the first one again."""
    page.click(".leaflet-draw-draw-polygon")
    box = page.locator(map_selector).bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    corners = [(cx - size, cy - size), (cx + size, cy - size), (cx + size, cy + size), (cx - size, cy + size)]
    for x, y in corners:
        page.mouse.click(x, y)
        time.sleep(0.15)
    page.mouse.click(*corners[0])


def new_intervention(page, title):
    page.goto("/espace/interventions/nouvelle/")
    page.fill("#f-title", title)
    page.check('input[name="themes"][value="vbg"]')
    page.click("#save-intervention")
    page.wait_for_function("() => document.getElementById('intervention-state').textContent.includes('draft')"
                           " || document.getElementById('intervention-state').textContent.includes('État')")
    page.wait_for_url("**/espace/interventions/*/")
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def test_editor_draws_a_zone_which_appears_publicly_once_validated(browser, live_url):
    title = f"Causeries éducatives {time.time_ns()}"
    editor = browser.new_context(base_url=live_url, locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = editor.new_page()
    sign_in(page, "demo-editrice")
    intervention_id = new_intervention(page, title)
    assert page.inner_text("#intervention-state") == "État : Brouillon"  # the state's name, not its code
    draw_square(page)
    page.click("#zone-save")
    page.wait_for_function("() => document.getElementById('zone-messages').textContent.includes('Zone enregistrée')")
    # The area as French writes it: spaces between thousands, a decimal comma ("6 746,2 km²", never "6746.2").
    area = page.inner_text("#zone-list li")
    assert re.search(r"— \d{1,3}([\u202f\u00a0]\d{3})*(,\d)? km²", area), area
    page.click("#submit-intervention")
    page.wait_for_function("() => document.getElementById('zone-messages').textContent.includes('validation')")
    assert page.inner_text("#intervention-state") == "État : Soumise"
    editor.close()

    coordinator = browser.new_context(base_url=live_url, locale="fr-FR")
    page = coordinator.new_page()
    sign_in(page, "demo-coordinatrice")
    page.goto("/espace/validation/")
    card = page.locator("article", has_text=title)
    card.get_by_role("button", name="Valider").click()
    page.wait_for_load_state("networkidle")
    assert "Déclaration validée" in page.content()
    coordinator.close()

    visitor = browser.new_context(base_url=live_url, locale="fr-FR")
    page = visitor.new_page()
    page.goto("/")
    zone_count_on_map(page)
    interventions = api_get(page, f"/api/v1/interventions/{intervention_id}/")
    shown = api_get(page, f"/api/v1/zones/?organisation={interventions['organisation']['id']}&limit=1000")
    mine = [f for f in shown["features"] if f["properties"]["intervention"] == intervention_id]
    others = [f for f in shown["features"] if f["properties"]["intervention"] != intervention_id]
    _zone, lon, lat = point_of_only_one_zone(mine + [f for f in others if f["id"] not in {m["id"] for m in mine}])
    assert title in open_zone_popup(page, lon, lat)
    assert interventions["validation_state"] == "validated"
    visitor.close()


def test_the_map_names_towns_and_villages_as_one_comes_closer(page):
    """Drawn from our own localities and units, so they show offline too: Macina, a cercle seat, from zoom 7;
    its villages from zoom 11; the cercles' names on their outlines at zoom 6-7."""
    page.goto("/")
    zone_count_on_map(page)
    labels = "() => Array.from(document.querySelectorAll('.map-label')).map(e => e.textContent)"
    page.evaluate("() => musoyaMap.setView([13.957, -5.362], 5, {animate: false})")
    page.wait_for_load_state("networkidle")
    assert "Bamako" in page.evaluate(labels) and "Macina" not in page.evaluate(labels)
    page.evaluate("() => musoyaMap.setView([13.957, -5.362], 7, {animate: false})")
    page.wait_for_function("() => Array.from(document.querySelectorAll('.map-label-place-3'))"
                           ".some(e => e.textContent === 'Macina')")
    page.wait_for_function("() => document.querySelectorAll('.map-label-unit-2').length > 0")
    villages_before = page.locator(".map-label-place-5").count()
    page.evaluate("() => musoyaMap.setView([13.957, -5.362], 11, {animate: false})")
    page.wait_for_function("() => document.querySelectorAll('.map-label-place-5').length > 0")
    assert villages_before == 0


def choose_unit(page, region, cercle, commune):
    page.select_option("#pick-region", region)
    page.wait_for_function("() => document.querySelectorAll('#pick-cercle option').length > 1")
    page.select_option("#pick-cercle", cercle)
    page.wait_for_function("() => document.querySelectorAll('#pick-commune option').length > 1")
    page.select_option("#pick-commune", commune)
    page.click("#pick-add")


def test_an_imported_zone_is_repaired_and_the_editor_says_what_changed(browser, live_url):
    """A GPS export: two overlapping parts, with altitudes. The preview and the saved answer both say that the
    altitudes were dropped and the overlap counted once (issue 11 items 8 and 9)."""
    editor = browser.new_context(base_url=live_url, locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = editor.new_page()
    sign_in(page, "demo-editrice")
    new_intervention(page, f"Relevé GPS {time.time_ns()}")

    def part(lon, lat):
        return [[[lon, lat, 301.5], [lon + 0.1, lat, 302.0], [lon + 0.1, lat + 0.1, 300.0], [lon, lat + 0.1, 299.5],
                 [lon, lat, 301.5]]]

    page.fill("#geojson-import", json.dumps({"type": "MultiPolygon", "coordinates": [part(-6.3, 13.4),
                                                                                     part(-6.25, 13.45)]}))
    page.click("#geojson-load")
    page.click("#zone-preview")
    page.wait_for_function("() => document.getElementById('zone-preview-result').textContent"
                           ".includes('une seule fois')")
    assert "altitudes" in page.inner_text("#zone-preview-result")
    page.click("#zone-save")
    page.wait_for_function("() => document.getElementById('zone-messages').textContent.includes('Zone enregistrée')")
    messages = page.inner_text("#zone-messages")
    assert "une seule fois" in messages and "altitudes" in messages
    editor.close()


def saved_zone(page):
    page.wait_for_function("() => document.getElementById('zone-messages').textContent.includes('Zone enregistrée')")
    zones = page.evaluate("""() => { const z = []; musoyaEditorMap.eachLayer(l => {
        if (l.feature && l.feature.properties && l.feature.properties.zone) z.push(l.feature.id); });
        return [...new Set(z)]; }""")
    return max(zones)


def test_picking_three_communes_makes_the_same_zone_as_drawing_their_outline(page):
    sign_in(page, "demo-editrice")
    new_intervention(page, f"Comparaison choisir / dessiner {time.time_ns()}")
    page.check('input[name="method"][value="picked"]')
    for commune in ("ML040101", "ML040102", "ML040103"):
        choose_unit(page, "ML04", "ML0401", commune)
    assert page.locator("#picked-list li").count() == 3
    page.click("#zone-save")
    picked_id = saved_zone(page)
    picked = api_get(page, f"/api/v1/zones/{picked_id}/")

    page.check('input[name="method"][value="drawn"]')
    page.fill("#geojson-import", json.dumps(picked["geometry"]))
    page.click("#geojson-load")
    page.click("#zone-save")
    page.wait_for_function("() => document.querySelectorAll('#zone-list li').length >= 2")
    drawn_id = saved_zone(page)
    drawn = api_get(page, f"/api/v1/zones/{drawn_id}/")
    assert drawn_id != picked_id
    # The outline comes back rounded to 5 decimals (about 1 m): the same zone to within that precision.
    assert drawn["properties"]["area_km2"] == pytest.approx(picked["properties"]["area_km2"], rel=1e-4)
    pcodes = [c["pcode"] for c in drawn["properties"]["communes"]]
    assert pcodes == [c["pcode"] for c in picked["properties"]["communes"]]
    for mine, theirs in zip(drawn["properties"]["communes"], picked["properties"]["communes"], strict=True):
        assert mine["share"] == pytest.approx(theirs["share"], abs=1e-3)
    assert [c["pcode"] for c in picked["properties"]["communes"]] == ["ML040101", "ML040102", "ML040103"]


def wait_for_service_worker(page):
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null",
                           timeout=20000)


def test_the_app_reloaded_offline_still_shows_the_map_and_the_directory(page):
    page.goto("/")
    page.evaluate("() => navigator.serviceWorker.ready")
    page.reload()  # now controlled by the service worker
    wait_for_service_worker(page)
    zone_count_on_map(page)
    page.goto("/organisations/")
    online_names = page.locator(".card h2").all_inner_texts()
    assert online_names
    page.context.set_offline(True)
    page.goto("/")
    regions_drawn = """() => { let n = 0; musoyaMap.eachLayer(l => {
        if (l.feature && l.feature.properties.level === 1) n++; }); return n; }"""
    page.wait_for_function("() => (" + regions_drawn + ")() >= 9")  # the regions, from the cache
    assert page.is_visible("#connection-status")
    page.goto("/organisations/")
    assert page.locator(".card h2").all_inner_texts() == online_names
    page.context.set_offline(False)


def test_a_zone_drawn_offline_is_sent_when_back_online(page):
    from geo_backend.zones.models import Zone

    sign_in(page, "demo-editrice")
    intervention_id = new_intervention(page, f"Zone hors ligne {time.time_ns()}")
    assert not Zone.objects.filter(intervention_id=intervention_id).exists()
    page.context.set_offline(True)
    page.evaluate("() => window.dispatchEvent(new Event('offline'))")
    draw_square(page)
    page.click("#zone-save")
    page.wait_for_function("() => document.getElementById('zone-messages').textContent.includes('Hors ligne')")
    page.wait_for_selector("#pending-list li[data-status='pending']")
    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_function("() => document.querySelectorAll('#pending-list li').length === 0", timeout=20000)
    assert Zone.objects.filter(intervention_id=intervention_id).count() == 1


def test_switching_to_english_translates_the_interface(page):
    page.goto("/")
    page.select_option("#language", "en")
    page.get_by_role("button", name="Changer").click()
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "lang") == "en"
    assert "Who does what, where" in page.inner_text("h1")
    assert page.get_by_role("link", name="Directory").is_visible()
    assert page.get_by_label("Theme", exact=True).is_visible()


def test_a_visitor_never_sees_a_restricted_intervention(page, django_db_blocker):
    from geo_backend.zones.models import Intervention, Zone

    with django_db_blocker.unblock():
        restricted = list(Intervention.objects.filter(sensitivity="restricted").values_list("id", "title"))
        assert restricted, "the demo data should include a restricted intervention"
        where = Zone.objects.filter(intervention_id=restricted[0][0]).first().geom.point_on_surface
    tiles = set()
    page.on("request", lambda r: tiles.add(r.url) if "/tiles/zones/" in r.url else None)
    page.goto("/")
    zone_count_on_map(page)
    page.wait_for_load_state("networkidle")
    assert tiles, "the map asked for no zone tile"

    def decoded(urls):
        # The tiles the map asked for, fetched again as the same visitor (Chromium does not keep their bodies).
        return [f for url in urls
                for f in mapbox_vector_tile.decode(page.request.get(url).body()).get("zones", {}).get("features", [])]

    # The national view's tiles merge zones (zones/tiles.py): they name no zone and no intervention.
    merged = decoded(tiles)
    assert merged and all(set(f["properties"]) == {"theme", "precision", "zones"} for f in merged)
    # Closer, where a restricted intervention's zone lies, each zone is its own feature: none of them is restricted.
    tiles.clear()
    page.evaluate("([lat, lon]) => musoyaMap.setView([lat, lon], 9, {animate: false})", [where.y, where.x])
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    page.wait_for_load_state("networkidle")
    assert tiles, "the map asked for no zone tile at zoom 9"
    drawn = {feature["properties"]["intervention"] for feature in decoded(tiles)}
    assert drawn, "the map drew no zone from its tiles"
    listed = api_get(page, "/api/v1/interventions/?limit=1000")
    for intervention_id, _title in restricted:
        assert intervention_id not in drawn
        assert intervention_id not in [i["id"] for i in listed["results"]]
        assert page.request.get(f"/api/v1/interventions/{intervention_id}/").status == 404


@pytest.mark.parametrize("path", ["/", "/organisations/", "/comptes/connexion/", "/a-propos/"])
def test_main_pages_have_no_serious_accessibility_violation(page, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(path)
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


def test_signed_in_pages_have_no_serious_accessibility_violation(page):
    from axe_playwright_python.sync_playwright import Axe

    sign_in(page, "demo-editrice")
    for path in ("/espace/", "/espace/interventions/nouvelle/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        serious = [v for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], (path, [(v["id"], v["help"]) for v in serious])


@pytest.mark.parametrize("width", [360, 1280])
def test_screenshots_of_the_main_pages(browser, live_url, width):
    """Kept in test-artifacts/screenshots/ for people to look at; the page must fit the width without sideways
    scrolling."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(base_url=live_url, locale="fr-FR", viewport={"width": width, "height": 800},
                                  has_touch=width < 500, is_mobile=width < 500)
    page = context.new_page()
    for name, path in (("carte", "/"), ("annuaire", "/organisations/"), ("connexion", "/comptes/connexion/")):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, name
    sign_in(page, "demo-editrice")
    page.goto("/espace/interventions/nouvelle/")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(ARTIFACTS / f"editeur-{width}.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    context.close()
