"""The dashboard on a slow link (issue #16): what its first visit weighs, offline use, accessibility of its views.

Bytes are stable, time is not: the time figures (780 kbit/s, 150 ms) are in bench/workloads/dashboard.py.
"""
import time

import pytest
from playwright.sync_api import expect

from bench.workloads.site import UNTHROTTLED, NetworkMeter

from .test_dashboard import DASHBOARD, TIMEOUT, wait_for_map

FIRST_VISIT_BUDGET = 700_000  # bytes on the wire, headers included (KB = 1000 bytes)


def first_visit(browser, live_url) -> NetworkMeter:
    """A first visit of the dashboard in a fresh context (empty cache, no service worker), metered until the
    network is idle: every byte the page and its service worker received."""
    context = browser.new_context(base_url=live_url, locale="fr-FR", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    meter = NetworkMeter(context.new_cdp_session(page), UNTHROTTLED)
    context.on("request", meter.playwright_request)
    context.on("requestfinished", meter.playwright_finished)
    try:
        page.goto(DASHBOARD)
        wait_for_map(page, "cov-map")
        assert meter.wait_idle(page), "the network never went idle"
        meter.plotly_requests = [r["url"] for r in meter.requests.values() if "plotly" in r["url"]]
    finally:
        context.close()
    return meter


def test_the_first_visit_transfers_under_the_budget(browser, live_url):
    meter = first_visit(browser, live_url)
    breakdown = {"page": meter.total("page"), "total": meter.total(), "by_type": meter.by_type(),
                 "largest": meter.largest(12)}
    assert meter.total() < FIRST_VISIT_BUDGET, breakdown
    # The partial bundle, not Dash's full plotly.min.js.
    assert [url for url in meter.plotly_requests if "plotly-musoya" in url] and not [
        url for url in meter.plotly_requests if "plotly.min.js" in url], meter.plotly_requests
    # No table component (the tables are HTML drawn by the server), no Babel polyfill, no Dash favicon.
    loaded = [r["url"] for r in meter.requests.values()]
    assert not [url for url in loaded if any(part in url for part in (
        "/dash_table/", "async-table", "async-highlight", "/deps/polyfill@", "_favicon.ico"))], loaded


def test_the_dashboard_opened_once_loads_again_offline_with_its_data_and_their_date(page):
    page.goto(DASHBOARD)
    page.evaluate("() => navigator.serviceWorker.ready")
    page.reload()  # now controlled by the service worker, which keeps what the dashboard fetches
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=TIMEOUT)
    wait_for_map(page, "cov-map")
    summary = page.locator("#cov-summary")
    expect(summary).to_contain_text("interventions", timeout=TIMEOUT)
    seen_online = summary.inner_text()
    page.wait_for_function("() => document.querySelectorAll('#cov-table tbody tr').length > 0", timeout=TIMEOUT)
    rows_online = page.locator("#cov-table tbody tr").count()
    page.wait_for_load_state("networkidle")
    assert page.locator("#data-date").count() == 0  # online: no date shown
    opened_at = time.time() * 1000

    page.context.set_offline(True)
    try:
        page.reload()
        wait_for_map(page, "cov-map")
        expect(summary).to_have_text(seen_online, timeout=TIMEOUT)
        expect(page.locator("#cov-table tbody tr")).to_have_count(rows_online, timeout=TIMEOUT)
        date = page.locator("#data-date")
        expect(date).to_contain_text("Hors ligne : données du", timeout=TIMEOUT)
        stored_at = int(date.get_attribute("data-stored-at"))
        assert opened_at - 120_000 < stored_at <= opened_at  # the time the answers were seen online
    finally:
        page.context.set_offline(False)


VIEWS = ["", "zones-blanches", "chevauchements", "reseaux", "bailleurs"]


@pytest.mark.parametrize("view", VIEWS)
def test_dashboard_views_have_no_serious_accessibility_violation(page, view):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(DASHBOARD + view)
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length > 0", timeout=TIMEOUT)
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], "\n".join(f"{v['id']}: {v['help']}: {[n['html'][:160] for n in v['nodes']][:4]}"
                                     for v in serious)
