"""Figures of the dashboard (issue #7): server time and bytes of its callbacks, bytes and time to first map in
Chromium on a 780 kbit/s / 150 ms link and unthrottled, first visit and repeat visit, and a filter change.

Needs the reference data and the demo data (`manage.py seed_demo --zones 2000` for the figures of the issue): the
callbacks run on the real 701 communes. Every HTTP request goes to a gunicorn started here on 127.0.0.1 (1 worker,
1 thread). The only write is a session for the donor's callbacks, deleted on the way out.

- **dashboard callback: <callback> [off|on]**: wall-clock ms of POST /tableau-de-bord/_dash-update-component with
  the body dash-renderer sends (built from /_dash-dependencies), 30 samples after 3 warm-ups (10 for the slow
  ones), communes, a visitor (and a donor for the coverage map). "[off]": the server runs with
  MUSOYA_DASHBOARD_CACHE_SECONDS=0, so every sample does the real work; "[on]": with the worker's memory of recent
  answers (dashboards/cache.py), for the answers it serves from there (paging, exports, a view seen again).
  `extra` gives the request and answer sizes and the aim of the issue (300 ms).
- **dashboard callback bytes on the wire: <callback>**: the answer's size, gzip (KB = 1000 bytes), against the aim
  of the issue (a filter change sends under 50 KB).
- **dashboard first|repeat visit, <view>: time to map (<link>)**: in Debian's Chromium (/usr/bin/chromium, driven
  by Playwright, network meter and conditions of bench/workloads/site.py: 780 kbit/s down, 330 kbit/s up, 150 ms,
  or unthrottled), ms from navigation start to the first frame after the coverage map drew its units; first visit
  in a fresh context (empty cache), repeat visit = a reload in the same context. 3 samples throttled, 5
  unthrottled, after 1 warm-up; views: the default (cercles) and the communes.
- **dashboard first|repeat visit, <view>: bytes (<link>)**: every byte the page received until the network is
  idle (Network.loadingFinished encodedDataLength), with the largest resources and the number of plotly.js
  requests in `extra`.
- **dashboard theme change, <view>: time to updated map / bytes (<link>)**: after the first visit, the theme filter
  set as the dropdown does (dash_clientside.set_props): ms until both the summary and the map's values changed, and
  the bytes received until idle (the page's icon, fetched lazily once, left out).
"""
import contextlib
import gzip
import http.client
import json
import os
import statistics
from collections.abc import Iterator
from importlib import import_module

from bench.harness import Options, Result, gunicorn_server, milliseconds, server_settings_module, timed
from bench.workloads.site import CHROMIUM, CHROMIUM_ARGS, THROTTLED, UNTHROTTLED, NetworkMeter
from geo_backend.regions.models import AdminUnit
from geo_backend.zones.models import Zone

PREFIX = "/tableau-de-bord"
LEVEL = 3  # the real communes
THEME = "vbg"
BOUNDS = [2012, 2035]  # wider than any demo period: the slider at its full range means "no period"
CALLBACK_SAMPLES = 30
CALLBACK_WARMUP = 3
SLOW_CALLBACK_SAMPLES = 10  # the overlaps and the yearly series (every year in one statement since issue #16)
BROWSER_SAMPLES = {"780 kbit/s, 150 ms": 3, "unthrottled": 5}
BROWSER_WARMUP = 1
MODES = {"780 kbit/s, 150 ms": THROTTLED, "unthrottled": UNTHROTTLED}
VIEWS = {"cercles (default view)": f"{PREFIX}/", "communes": f"{PREFIX}/?niveau=3"}
VISIT_TIMEOUT_MS = 180_000
DONOR_USERNAME = "demo-bailleur"
# Aims of the issue.
AIM_FILTER_CHANGE_BYTES = 50_000
AIM_CALLBACK_MS = 300.0

# Runs in every document before its own scripts: records when the coverage map has drawn its units (the first
# animation frame after Plotly added the measured trace's paths), and when the summary changes after that.
MAP_WATCH_JS = """
(() => {
  function tick() {
    const paths = document.querySelectorAll('#cov-map .trace.choropleth:nth-of-type(2) .choroplethlocation');
    if (paths.length > 0) {
      requestAnimationFrame(() => { window.__benchMapAt = performance.now(); window.__benchUnits = paths.length; });
      return;
    }
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})();
"""
# A theme change as the dropdown would make it; resolves when the summary and the map's values have changed.
FILTER_CHANGE_JS = """
([theme, timeout]) => new Promise((resolve, reject) => {
  const summary = document.getElementById('cov-summary');
  const plot = document.querySelector('#cov-map .js-plotly-plot');
  const before = summary.innerText, zBefore = JSON.stringify(plot.data[1].z);
  const started = performance.now();
  window.dash_clientside.set_props('f-themes', {value: [theme]});
  const deadline = started + timeout;
  (function wait() {
    if (summary.innerText !== before && JSON.stringify(plot.data[1].z) !== zBefore) {
      requestAnimationFrame(() => resolve(performance.now() - started));
    } else if (performance.now() > deadline) {
      reject(new Error('the map did not change'));
    } else {
      setTimeout(wait, 20);
    }
  })();
})
"""


def require_demo() -> int:
    if not AdminUnit.objects.filter(level=3).exists():
        raise RuntimeError("no reference data in the database: run `make bootstrap` first")
    zones = Zone.objects.count()
    if not zones:
        raise RuntimeError("no zones: run `manage.py seed_demo --zones 2000` first")
    return zones


# --- Callbacks over HTTP ------------------------------------------------------------------------------------


def filter_values(**changes) -> dict:
    values = {"f-level": LEVEL, "f-metric": "organisations", "f-themes": [], "f-network": None, "f-funder": None,
              "f-period": list(BOUNDS), "f-bounds": list(BOUNDS)}
    values.update(changes)
    return values


def callback_payload(dependencies: list, output_start: str, values: dict, changed: str | None) -> dict:
    """The body dash-renderer posts to _dash-update-component for the callback whose output starts so."""
    (dependency,) = [d for d in dependencies if d["output"].startswith(output_start)]

    def described(item):
        key = item["id"] if item["property"] in ("value", "data") else f"{item['id']}.{item['property']}"
        return {**item, "value": values.get(key)}

    outputs = [dict(zip(("id", "property"), part.rsplit(".", 1), strict=True))
               for part in dependency["output"].strip(".").split("...")]
    return {"output": dependency["output"], "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": [described(i) for i in dependency["inputs"]],
            "state": [described(s) for s in dependency["state"]], "changedPropIds": [changed] if changed else []}


def post(base_url: str, path: str, body: bytes, *, cookie: str | None = None) -> tuple[int, dict, bytes]:
    """One POST (gzip accepted) over a new loopback connection, the answer read in full."""
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=300)
    headers = {"Content-Type": "application/json", "Accept-Encoding": "gzip"}
    if cookie:
        headers["Cookie"] = cookie
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@contextlib.contextmanager
def donor_session() -> Iterator[str]:
    """A signed-in session of the demo donor (as the site's sign-in makes it), deleted on the way out."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model

    user = get_user_model().objects.filter(username=DONOR_USERNAME).first()
    if user is None:
        raise RuntimeError(f"no user {DONOR_USERNAME!r}: run `manage.py seed_demo` first")
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    try:
        yield f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    finally:
        session.delete()


ALL_THEMES = filter_values()
ONE_THEME = filter_values(**{"f-themes": [THEME]})
# (name, callback output, values of its inputs and states, the input that changed, samples)
CALLBACKS = [
    ("coverage map + table, theme change (patch)", "..cov-map.figure", ONE_THEME, "f-themes.value", CALLBACK_SAMPLES),
    ("coverage map + table, all themes, level change (full figure)", "..cov-map.figure", ALL_THEMES,
     "f-level.value", CALLBACK_SAMPLES),
    ("coverage table, next page", "..cov-table.children@",
     {**ALL_THEMES, "cov-next.n_clicks": 1, "cov-order": {"page": 0, "column": None, "descending": False}},
     "cov-next.n_clicks", CALLBACK_SAMPLES),
    ("coverage CSV export", "cov-download.data", {**ALL_THEMES, "cov-csv.n_clicks": 1}, "cov-csv.n_clicks",
     CALLBACK_SAMPLES),
    ("gaps map + table, theme change", "..gap-map.figure", ONE_THEME, "f-themes.value", CALLBACK_SAMPLES),
    ("gaps map + table, all themes", "..gap-map.figure", ALL_THEMES, "f-level.value", CALLBACK_SAMPLES),
    ("overlaps map + pairs, theme change", "..ovl-map.figure", ONE_THEME, "f-themes.value", SLOW_CALLBACK_SAMPLES),
    ("networks charts + table, theme change", "..net-rollup.figure", ONE_THEME, "f-themes.value", CALLBACK_SAMPLES),
    ("networks charts + table, all themes", "..net-rollup.figure", ALL_THEMES, None, CALLBACK_SAMPLES),
    ("funders charts + table, theme change", "..fun-rollup.figure", ONE_THEME, "f-themes.value", CALLBACK_SAMPLES),
    ("funders charts + table, all themes", "..fun-rollup.figure", ALL_THEMES, None, CALLBACK_SAMPLES),
    ("funders coverage by year, theme change", "fun-years.figure", ONE_THEME, "f-themes.value",
     SLOW_CALLBACK_SAMPLES),
    ("funders coverage by year, all themes", "fun-years.figure", ALL_THEMES, None, SLOW_CALLBACK_SAMPLES),
]
# Answered from the worker's memory of recent answers when it has them (dashboards/cache.py).
CACHED = ["coverage table, next page", "coverage CSV export", "overlaps map + pairs, theme change",
          "funders coverage by year, all themes"]


@contextlib.contextmanager
def environment(**values: str) -> Iterator[None]:
    """Environment variables for the servers started meanwhile (gunicorn_server passes os.environ on)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def measure(base_url: str, dependencies: list, case: tuple, options: Options, *, memory: str, zones: int,
            cookie: str | None = None) -> list[Result]:
    name, output, values, changed, default_samples = case
    body = json.dumps(callback_payload(dependencies, output, values, changed)).encode()
    path = f"{PREFIX}/_dash-update-component"
    status, headers, answer = post(base_url, path, body, cookie=cookie)
    if status != 200:
        raise RuntimeError(f"{name}: HTTP {status}: {answer[:300]!r}")
    decoded = gzip.decompress(answer) if headers.get("content-encoding") == "gzip" else answer
    samples = milliseconds(timed(lambda: post(base_url, path, body, cookie=cookie),
                                 samples=options.samples(default_samples), warmup=CALLBACK_WARMUP))
    median = statistics.median(samples)
    label = f"{name}{', donor' if cookie else ''} [{memory}]"
    return [
        Result(f"dashboard callback: {label}", "ms", samples, extra={
            "level": LEVEL, "themes": values.get("f-themes") or "all", "zones_in_database": zones,
            "memory_of_recent_answers": memory, "request_bytes": len(body),
            "response_wire_bytes": len(answer), "response_decoded_bytes": len(decoded),
            "content_encoding": headers.get("content-encoding"), "aim_ms": AIM_CALLBACK_MS,
            "meets_aim": median <= AIM_CALLBACK_MS, "server_settings": server_settings_module(),
            "warmup": CALLBACK_WARMUP}),
        Result(f"dashboard callback bytes on the wire: {label}", "KB", [len(answer) / 1000], extra={
            "decoded_kb": round(len(decoded) / 1000, 1), "aim_kb": AIM_FILTER_CHANGE_BYTES / 1000,
            "meets_aim": len(answer) <= AIM_FILTER_CHANGE_BYTES}),
    ]


def callback_latency(options: Options) -> list[Result]:
    """Wall-clock ms of POST /tableau-de-bord/_dash-update-component on loopback (the server's time plus a few
    hundred microseconds of HTTP), and the bytes of the answer on the wire (gzip), for the callbacks of each view on
    the communes. First with the worker's memory of recent answers off, so that every sample does the real work (a
    visitor's, and for the coverage map also a donor's); then with it on, for the answers it serves."""
    zones = require_demo()
    results = []
    with donor_session() as donor_cookie:
        with environment(MUSOYA_DASHBOARD_CACHE_SECONDS="0"), gunicorn_server() as base_url:
            dependencies = json.loads(_get(base_url, f"{PREFIX}/_dash-dependencies"))
            for case in CALLBACKS:
                results += measure(base_url, dependencies, case, options, memory="off", zones=zones)
            results += measure(base_url, dependencies, CALLBACKS[0], options, memory="off", zones=zones,
                               cookie=donor_cookie)
        with gunicorn_server() as base_url:
            dependencies = json.loads(_get(base_url, f"{PREFIX}/_dash-dependencies"))
            for case in (c for c in CALLBACKS if c[0] in CACHED):
                results += measure(base_url, dependencies, case, options, memory="on", zones=zones)
    return results


def _get(base_url: str, path: str) -> bytes:
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=120)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: HTTP {response.status}")
        return gzip.decompress(body) if response.getheader("Content-Encoding") == "gzip" else body
    finally:
        connection.close()


# --- In Chromium ---------------------------------------------------------------------------------------------


def visit(page, meter: NetworkMeter, url: str, *, reload: bool) -> dict:
    """One visit: ms from navigation start to the coverage map drawn, and the bytes transferred until idle."""
    meter.reset()
    if reload:
        page.reload(wait_until="commit", timeout=VISIT_TIMEOUT_MS)
    else:
        page.goto(url, wait_until="commit", timeout=VISIT_TIMEOUT_MS)
    page.wait_for_function("() => window.__benchMapAt !== undefined", polling=100, timeout=VISIT_TIMEOUT_MS)
    map_ms, units = page.evaluate("() => [window.__benchMapAt, window.__benchUnits]")
    bytes_at_map = meter.total()
    idle = meter.wait_idle(page)
    return {"map_ms": map_ms, "units": units, "bytes_at_map": bytes_at_map, "bytes": meter.total(), "idle": idle,
            "by_type": meter.by_type(), "largest": meter.largest(5),
            "plotly_requests": sum("plotly.min.js" in r["url"] for r in meter.requests.values()),
            "partial_plotly_requests": sum("plotly-musoya" in r["url"] for r in meter.requests.values()),
            "bytes_page": meter.total("page"), "bytes_service_worker": meter.total() - meter.total("page")}


def filter_change(page, meter: NetworkMeter) -> dict:
    """A theme change on the loaded view: ms until the map and summary show it, bytes transferred until idle."""
    meter.reset()
    change_ms = page.evaluate(FILTER_CHANGE_JS, [THEME, VISIT_TIMEOUT_MS])
    idle = meter.wait_idle(page)
    # The browser asks for the page's icon once, lazily after the first load: not part of the filter change.
    requests = [r for r in meter.requests.values() if "/icons/musoya-" not in r["url"]]
    return {"change_ms": change_ms, "bytes": sum(r["bytes"] for r in requests), "idle": idle,
            "requests": len(requests), "largest": meter.largest(3)}


def run_mode(browser, base_url: str, url: str, conditions: dict, samples: int) -> list[dict]:
    """Per sample, in a fresh context: first visit, a theme change, then a repeat visit (reload); warm-ups
    discarded."""
    runs = []
    for run in range(BROWSER_WARMUP + samples):
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
        try:
            context.add_init_script(MAP_WATCH_JS)
            page = context.new_page()
            meter = NetworkMeter(context.new_cdp_session(page), conditions)
            first = visit(page, meter, base_url + url, reload=False)
            change = filter_change(page, meter)
            repeat = visit(page, meter, base_url + url, reload=True)
        finally:
            context.close()
        if run >= BROWSER_WARMUP:
            runs.append({"first": first, "change": change, "repeat": repeat})
    return runs


def first_map(options: Options) -> list[Result]:
    """Time to first map and bytes on the wire in Chromium, throttled and not: first visit (empty cache), a theme
    change, and a repeat visit; on the default view (cercles) and on the communes."""
    from playwright.sync_api import sync_playwright

    zones = require_demo()  # no ORM below: Playwright's event loop then owns this thread
    measured: dict = {}
    with gunicorn_server() as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for view, url in VIEWS.items():
                for mode, conditions in MODES.items():
                    measured[(view, mode)] = run_mode(browser, base_url, url, conditions,
                                                      options.samples(BROWSER_SAMPLES[mode]))
        finally:
            browser.close()
    results = []
    for (view, mode), runs in measured.items():
        common = {"url": VIEWS[view], "conditions": MODES[mode], "zones_in_database": zones, "warmup": BROWSER_WARMUP,
                  "server": "gunicorn, 1 worker, 1 thread", "server_settings": server_settings_module()}
        for kind in ("first", "repeat"):
            visits = [r[kind] for r in runs]
            results.append(Result(f"dashboard {kind} visit, {view}: time to map ({mode})", "ms",
                                  [v["map_ms"] for v in visits],
                                  extra={**common, "units_drawn": visits[-1]["units"],
                                         "bytes_at_map_median": statistics.median(v["bytes_at_map"] for v in visits)}))
            results.append(Result(f"dashboard {kind} visit, {view}: bytes ({mode})", "KB",
                                  [v["bytes"] / 1000 for v in visits],
                                  extra={**common, "network_idle_reached": all(v["idle"] for v in visits),
                                         "plotly_js_requests": visits[-1]["plotly_requests"],
                                         "partial_plotly_js_requests": visits[-1]["partial_plotly_requests"],
                                         "bytes_page_median": statistics.median(v["bytes_page"] for v in visits),
                                         "bytes_service_worker_median": statistics.median(
                                             v["bytes_service_worker"] for v in visits),
                                         "bytes_by_type": visits[-1]["by_type"],
                                         "largest_resources": visits[-1]["largest"]}))
        changes = [r["change"] for r in runs]
        change_bytes = [c["bytes"] for c in changes]
        results.append(Result(f"dashboard theme change, {view}: time to updated map ({mode})", "ms",
                              [c["change_ms"] for c in changes], extra=common))
        results.append(Result(f"dashboard theme change, {view}: bytes ({mode})", "KB",
                              [b / 1000 for b in change_bytes],
                              extra={**common, "requests": changes[-1]["requests"],
                                     "largest_resources": changes[-1]["largest"],
                                     "aim_kb": AIM_FILTER_CHANGE_BYTES / 1000,
                                     "meets_aim": statistics.median(change_bytes) <= AIM_FILTER_CHANGE_BYTES}))
    return results


WORKLOADS = [callback_latency, first_map]
