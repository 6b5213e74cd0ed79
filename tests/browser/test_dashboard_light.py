"""The dashboard on a slow link (issue #16): what its first visit weighs, offline use, accessibility of its views.

Bytes are stable, time is not: the time figures (780 kbit/s, 150 ms) are in bench/workloads/dashboard.py.
"""
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
