"""The dashboard in Chromium, against gunicorn on the test database (reference + demo data, tests/browser/conftest.py).

Run: TEST_DATABASE_NAME=... .venv/bin/pytest -m browser tests/browser/test_dashboard.py
"""
import csv
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from .conftest import sign_in

DASHBOARD = "/tableau-de-bord/"
VBG = "Violences basées sur le genre (VBG)"
TIMEOUT = 30_000


def graph_trace(page, graph_id: str, index: int) -> dict:
    """The locations and values of one trace of a dcc.Graph, as Plotly holds them in the page."""
    return page.evaluate(
        """([id, index]) => {
            const graph = document.getElementById(id);
            const plot = graph.classList.contains('js-plotly-plot') ? graph : graph.querySelector('.js-plotly-plot');
            const trace = plot.data[index];
            return {locations: Array.from(trace.locations || []), z: Array.from(trace.z || []),
                    geojson: typeof trace.geojson === 'string' ? trace.geojson : 'object'};
        }""", [graph_id, index])


def wait_for_map(page, graph_id: str) -> None:
    page.wait_for_function(
        """id => { const g = document.getElementById(id);
                   const plot = g && (g.classList.contains('js-plotly-plot') ? g : g.querySelector('.js-plotly-plot'));
                   return plot && plot.data && plot.data.length > 1 && document.querySelectorAll(
                       '#' + id + ' .choroplethlocation').length > 0; }""", arg=graph_id, timeout=TIMEOUT)


def table_rows(page, table_id: str) -> list[list[str]]:
    cells = page.locator(f"#{table_id} tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.querySelectorAll('td')).map(td => td.innerText.trim()))")
    return [row for row in cells if row]


def table_header(page, table_id: str) -> list[str]:
    return page.locator(f"#{table_id} th").evaluate_all(
        "cells => cells.map(c => c.innerText.trim()).filter(t => t)")


def choose_theme(page, label: str) -> None:
    page.locator("#f-themes").click()
    page.get_by_role("option", name=label, exact=True).click()
    page.keyboard.press("Escape")


def number(text: str) -> float:
    """A number as the table shows it (12 345,6) or as the CSV holds it (12345.6)."""
    return float(re.sub(r"[\s\u202f\u00a0]", "", text).replace(",", "."))


def test_dashboard_loads_with_its_map_table_and_demo_note(page, live_url):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(DASHBOARD)
    wait_for_map(page, "cov-map")
    expect(page.get_by_role("heading", name="Couverture", level=1)).to_be_visible()
    expect(page.locator("#cov-summary")).to_contain_text("interventions", timeout=TIMEOUT)
    expect(page.locator("#cov-demo")).to_contain_text("Données de démonstration fictives")
    assert len(table_rows(page, "cov-table")) == 15
    trace = graph_trace(page, "cov-map", 1)
    assert len(trace["locations"]) == 50  # cercles by default
    assert trace["geojson"].startswith("/tableau-de-bord/geo/2-")  # geometries fetched once, by address
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert all(url.startswith(live_url) for url in requests), [u for u in requests if not u.startswith(live_url)]
    assert sum("plotly" in url for url in requests) == 1  # one plotly.js: the partial bundle (test_dashboard_light.py)


def test_changing_the_theme_updates_the_map_and_the_gap_table(page):
    page.goto(DASHBOARD + "zones-blanches?niveau=3")
    wait_for_map(page, "gap-map")
    expect(page.locator("#gap-summary")).to_contain_text("sans aucune couverture", timeout=TIMEOUT)
    summary_before = page.locator("#gap-summary").inner_text()
    gaps_before = graph_trace(page, "gap-map", 1)["locations"]
    rows_before = table_rows(page, "gap-table")
    geometry_requests = []
    page.on("request", lambda request: geometry_requests.append(request.url) if "/geo/" in request.url else None)

    choose_theme(page, VBG)

    expect(page.locator("#gap-summary")).not_to_have_text(summary_before, timeout=TIMEOUT)
    gaps_after = graph_trace(page, "gap-map", 1)["locations"]
    assert len(gaps_after) > len(gaps_before)  # fewer communes covered by VBG alone than by any theme
    assert table_rows(page, "gap-table") != rows_before
    assert parse_qs(urlparse(page.url).query)["themes"] == ["vbg"]
    assert geometry_requests == []  # the geometry is not sent again on a filter change


def test_the_url_reproduces_the_view(page, browser, live_url):
    page.goto(DASHBOARD + "?niveau=3&mesure=femmes")
    wait_for_map(page, "cov-map")
    expect(page.get_by_label("Communes")).to_be_checked()
    expect(page.get_by_label("Part des femmes couvertes (%)")).to_be_checked()
    expect(page.locator("#cov-summary")).to_contain_text("interventions", timeout=TIMEOUT)
    summary_before = page.locator("#cov-summary").inner_text()
    choose_theme(page, VBG)
    page.wait_for_function("() => window.location.search.includes('themes=vbg')", timeout=TIMEOUT)
    expect(page.locator("#cov-summary")).not_to_have_text(summary_before, timeout=TIMEOUT)
    link = page.locator("#permalink").input_value()
    assert link == page.url and "niveau=3" in link and "mesure=femmes" in link
    z_here, summary_here = graph_trace(page, "cov-map", 1)["z"], page.locator("#cov-summary").inner_text()

    context = browser.new_context(base_url=live_url, locale="fr-FR")
    other = context.new_page()
    other.goto(link)
    wait_for_map(other, "cov-map")
    expect(other.locator("#f-themes")).to_contain_text(VBG)
    expect(other.locator("#cov-summary")).to_have_text(summary_here, timeout=TIMEOUT)
    assert graph_trace(other, "cov-map", 1)["z"] == z_here
    # The menu keeps the filters when moving to another view.
    other.get_by_role("link", name="Zones blanches").click()
    wait_for_map(other, "gap-map")
    assert "themes=vbg" in other.url and "/zones-blanches" in other.url
    # Back and forward: each address shows its own view again (the page built the first one with its layout).
    other.go_back()
    wait_for_map(other, "cov-map")
    expect(other.locator("#cov-summary")).to_have_text(summary_here, timeout=TIMEOUT)
    expect(other.locator("#gap-map")).to_have_count(0)
    other.go_forward()
    wait_for_map(other, "gap-map")
    expect(other.locator("#cov-map")).to_have_count(0)
    context.close()


def interventions_counted(browser, live_url, username) -> int:
    """The interventions the coverage view counts for a visitor (username None) or a signed-in demo account."""
    context = browser.new_context(base_url=live_url, locale="fr-FR")
    page = context.new_page()
    if username:
        sign_in(page, username)
    page.goto(DASHBOARD)
    summary = page.locator("#cov-summary")
    expect(summary).to_contain_text("interventions", timeout=TIMEOUT)
    expect(summary).to_contain_text("Chiffres complets" if username else "Chiffres publics")
    count = int(re.search(r"(\d+) interventions", summary.inner_text()).group(1))
    context.close()
    return count


def expected_counts() -> tuple[int, int]:
    """Validated interventions of active organisations with a zone: without and with the restricted ones (the
    demo data, seed 42, has some)."""
    from geo_backend.zones.models import Intervention

    counted = Intervention.objects.filter(validation_state="validated", organisation__status="active",
                                          zones__isnull=False).distinct()
    public, everything = counted.exclude(sensitivity="restricted").count(), counted.count()
    assert everything > public, "the demo data has no validated restricted intervention to tell the audiences apart"
    return public, everything


def test_coordinators_numbers_include_restricted_interventions(browser, live_url):
    public, everything = expected_counts()
    assert interventions_counted(browser, live_url, None) == public
    assert interventions_counted(browser, live_url, "demo-coordinatrice") == everything


def test_a_visitors_numbers_exclude_restricted_interventions_a_donors_include_them(browser, live_url):
    public, everything = expected_counts()
    assert interventions_counted(browser, live_url, None) == public
    assert interventions_counted(browser, live_url, "demo-bailleur") == everything


def test_the_csv_export_matches_the_table(page, tmp_path):
    page.goto(DASHBOARD + "?niveau=3")
    wait_for_map(page, "cov-map")
    expect(page.locator("#cov-summary")).to_contain_text("interventions", timeout=TIMEOUT)
    first_before = table_rows(page, "cov-table")[0]
    page.locator("#cov-table").get_by_role("button", name="Femmes (2017)", exact=True).click()
    page.wait_for_function("first => document.querySelector('#cov-table tbody td').innerText.trim() !== first",
                           arg=first_before[0], timeout=TIMEOUT)
    expect(page.locator("#cov-table th[aria-sort=ascending]")).to_have_text("Femmes (2017)")
    header, rows = table_header(page, "cov-table"), table_rows(page, "cov-table")
    women = [number(row[header.index("Femmes (2017)")]) for row in rows]
    assert women == sorted(women)  # sorted on the server, across all 701 communes
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Exporter CSV").click()
    download = download_info.value
    assert re.fullmatch(r"musoya-couverture-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    path = tmp_path / "export.csv"
    download.save_as(path)
    with path.open(encoding="utf-8-sig") as handle:
        exported = list(csv.reader(handle))
    assert exported[0] == header
    assert len(exported) == 1 + 701
    for shown, written in zip(rows, exported[1:], strict=False):
        for cell, value in zip(shown, written, strict=True):
            if re.fullmatch(r"[\d\s\u202f\u00a0,.]+", cell) and cell.strip():
                assert number(cell) == pytest.approx(number(value))
            else:
                assert cell == value


def test_the_site_language_switch_applies_to_the_dashboard(page):
    page.goto(DASHBOARD + "reseaux?themes=vbg")
    expect(page.locator("#net-summary")).to_contain_text("réseaux", timeout=TIMEOUT)
    page.wait_for_function("() => document.getElementById('language-next').value.includes('themes=vbg')")
    page.get_by_role("button", name="EN", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert "/tableau-de-bord/reseaux" in page.url and "themes=vbg" in page.url
    assert any(c["name"] == "django_language" and c["value"] == "en" for c in page.context.cookies())


def test_the_table_pages_with_its_buttons_and_keeps_the_focus(page):
    page.goto(DASHBOARD + "?niveau=3")
    wait_for_map(page, "cov-map")
    pager = page.get_by_role("navigation", name="Pages du tableau")
    expect(pager).to_contain_text("Page 1 sur 47", timeout=TIMEOUT)  # 701 communes, 15 a page
    expect(page.get_by_role("button", name="Page précédente")).to_be_disabled()
    first_page = table_rows(page, "cov-table")
    page.get_by_role("button", name="Page suivante").focus()
    page.keyboard.press("Enter")
    expect(pager).to_contain_text("Page 2 sur 47", timeout=TIMEOUT)
    assert table_rows(page, "cov-table") != first_page and len(table_rows(page, "cov-table")) == 15
    # The table drawn anew, the keyboard focus stays on the button (web/dashboard.js).
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'cov-next'",
                           timeout=TIMEOUT)
    page.keyboard.press("Enter")
    expect(pager).to_contain_text("Page 3 sur 47", timeout=TIMEOUT)
    assert page.locator("th[scope=col]").count() == 9
    assert page.locator("#cov-table td.number").first.evaluate("td => getComputedStyle(td).textAlign") == "right"


@pytest.mark.parametrize(("view", "charts"), [
    ("reseaux?themes=vbg", {"net-rollup": ".bars .point", "net-themes": ".hm image"}),
    ("bailleurs", {"fun-rollup": ".bars .point", "fun-markers": ".bars .point", "fun-themes": ".hm image",
                   "fun-years": ".bars .point"}),
])
def test_every_chart_draws_with_the_partial_plotly(page, view, charts):
    """The bars and heatmaps drawn by the dashboard's own plotly.js (its trace types, without the components and
    projections it leaves out), in French."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(DASHBOARD + view)
    for graph_id, drawn in charts.items():
        page.wait_for_function("([id, drawn]) => document.querySelectorAll('#' + id + ' ' + drawn).length > 0",
                               arg=[graph_id, drawn], timeout=TIMEOUT)
    assert page.evaluate("() => typeof window.regeneratorRuntime") == "object"  # from the bundle, not Babel's polyfill
    assert errors == []
