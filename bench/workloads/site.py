"""Figures of the public site (issue #6): bytes transferred and time to map on the home page, first and repeat visit,
with Chromium's network throttling (780 kbit/s down, 330 kbit/s up, 150 ms) and without.

Debian's Chromium (/usr/bin/chromium, never a downloaded browser) driven by Playwright against a gunicorn started
here on 127.0.0.1, after `manage.py collectstatic` so that whitenoise serves compressed, hashed, long-cached files.
"""
import itertools
import json
import statistics
import subprocess
import sys
import time
from urllib.parse import urlsplit

from bench.harness import PROJECT_DIR, Options, Result, gunicorn_server, server_settings_module

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
THROTTLED = {"offline": False, "latency": 150, "downloadThroughput": 780 * 1000 / 8,
             "uploadThroughput": 330 * 1000 / 8}
UNTHROTTLED = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
MODES = {"780 kbit/s, 150 ms": THROTTLED, "unthrottled": UNTHROTTLED}
SAMPLES = 5
WARMUP = 1  # one visit pair per mode discarded: it warms the server and the browser
VISIT_TIMEOUT_MS = 120_000
QUIET_S = 1.5  # the network is idle once nothing is in flight and nothing finished for this long
IDLE_TIMEOUT_S = 90
AIM_FIRST_VISIT_BYTES = 500_000  # compressed, 1 KB = 1000 bytes
AIM_MAP_VISIBLE_MS = 6000  # throttled
LARGEST = 5
MAX_RETRIES = 5  # per network condition, see run_mode

# Runs in every document before its own scripts: records when the map shows its zones and the regions layer (the
# first animation frame after map.js has added them, i.e. once Leaflet has drawn them). The zones are drawn from
# vector tiles: `#map[data-zones]` only says the zone count has come, so the zone tile layers must also have
# loaded (and drawn) every tile of the view (Leaflet's GridLayer.isLoading()).
MAP_WATCH_JS = """
(() => {
  function regionsOnMap(map) {
    let found = false;
    map.eachLayer((layer) => {
      if (!found && layer.feature && layer.feature.properties && layer.feature.properties.level === 1) found = true;
    });
    return found;
  }
  function zoneTilesDrawn(map) {
    let layers = 0, loading = false;
    map.eachLayer((layer) => {
      if (window.L && L.VectorGrid && layer instanceof L.VectorGrid) {
        layers++;
        if (layer.isLoading() || !Object.keys(layer._tiles).length) loading = true;
      }
    });
    return layers > 0 && !loading;
  }
  function tick() {
    const element = document.getElementById("map");
    const map = window.musoyaMap;
    if (element && map && element.dataset.zones !== undefined && regionsOnMap(map) && zoneTilesDrawn(map)) {
      requestAnimationFrame(() => {
        window.__benchMapVisibleAt = performance.now();
        window.__benchZonesDrawn = Number(element.dataset.zones);
      });
      return;
    }
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})();
"""


class NetworkMeter:
    """Bytes on the wire (Network.loadingFinished encodedDataLength) of a page and of its service workers.

    The page's CDP session auto-attaches (non-flattened) to the workers the page starts, so that the same network
    conditions apply to them: without it the service worker's own fetches (its install, and everything it fetches
    for a controlled page) would be neither throttled nor counted.
    """

    def __init__(self, cdp, conditions: dict):
        self.cdp = cdp
        self.worker_urls_seen_by_playwright: set[str] = set()
        self.conditions = conditions
        self.ids = itertools.count(1)
        self.requests: dict[tuple[str, str], dict] = {}
        self.in_flight: set[tuple[str, str]] = set()
        self.last_activity = time.monotonic()
        self.workers: dict[str, str] = {}  # session id -> target type
        cdp.on("Network.requestWillBeSent", lambda event: self.sent("page", event))
        cdp.on("Network.loadingFinished", lambda event: self.finished("page", event))
        cdp.on("Network.loadingFailed", lambda event: self.failed("page", event))
        cdp.on("Target.attachedToTarget", self.attached)
        cdp.on("Target.receivedMessageFromTarget", self.message)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", conditions)
        cdp.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": False})

    def reset(self) -> None:
        self.worker_urls_seen_by_playwright.clear()
        self.requests.clear()
        self.in_flight.clear()
        self.last_activity = time.monotonic()

    def to_worker(self, session_id: str, method: str, params: dict | None = None) -> None:
        message = json.dumps({"id": next(self.ids), "method": method, "params": params or {}})
        self.cdp.send("Target.sendMessageToTarget", {"sessionId": session_id, "message": message})

    def attached(self, event: dict) -> None:
        session_id = event["sessionId"]
        self.workers[session_id] = event["targetInfo"]["type"]
        self.to_worker(session_id, "Network.enable")
        self.to_worker(session_id, "Network.emulateNetworkConditions", self.conditions)
        self.to_worker(session_id, "Runtime.runIfWaitingForDebugger")

    def message(self, event: dict) -> None:
        message = json.loads(event["message"])
        source = self.workers.get(event["sessionId"], "worker")
        handler = {"Network.requestWillBeSent": self.sent, "Network.loadingFinished": self.finished,
                   "Network.loadingFailed": self.failed}.get(message.get("method"))
        if handler:
            handler(source, message["params"])

    def sent(self, source: str, event: dict) -> None:
        if source != "page" and is_worker_script(event["request"]["url"]):
            return  # counted from Playwright's record, see playwright_finished
        key = (source, event["requestId"])
        self.requests.setdefault(key, {"url": event["request"]["url"], "type": event.get("type", "Other"),
                                       "source": source, "bytes": 0})
        self.in_flight.add(key)
        self.last_activity = time.monotonic()

    def finished(self, source: str, event: dict) -> None:
        key = (source, event["requestId"])
        if key in self.requests:
            self.requests[key]["bytes"] = int(event["encodedDataLength"])
        self.in_flight.discard(key)
        self.last_activity = time.monotonic()

    def failed(self, source: str, event: dict) -> None:
        self.in_flight.discard((source, event["requestId"]))
        self.last_activity = time.monotonic()

    def playwright_request(self, request) -> None:
        """Playwright's own record of the worker's requests (its session attaches before the worker runs)."""
        if request.service_worker is not None and not is_worker_script(request.url):
            self.worker_urls_seen_by_playwright.add(request.url)

    def playwright_finished(self, request) -> None:
        """The worker's own script: fetched before any session can attach to the worker, so counted from
        Playwright's record (headers + body as received)."""
        if request.service_worker is not None and is_worker_script(request.url):
            sizes = request.sizes()
            self.requests[("playwright", request.url)] = {
                "url": request.url, "type": "Script", "source": "service_worker",
                "bytes": max(sizes["responseHeadersSize"], 0) + max(sizes["responseBodySize"], 0)}

    def missed_worker_requests(self) -> list[str]:
        """Worker requests this session did not see: it attached to the worker after they started (a race with
        Playwright's own session, which lets the worker run); such a visit is neither fully throttled nor counted."""
        ours = {r["url"] for r in self.requests.values() if r["source"] != "page"}
        return sorted(self.worker_urls_seen_by_playwright - ours)

    def total(self, source: str | None = None) -> int:
        return sum(r["bytes"] for r in self.requests.values() if source is None or r["source"] == source)

    def by_type(self) -> dict[str, int]:
        sizes: dict[str, int] = {}
        for r in self.requests.values():
            label = r["type"] if r["source"] == "page" else f"{r['source']}:{r['type']}"
            sizes[label] = sizes.get(label, 0) + r["bytes"]
        return dict(sorted(sizes.items(), key=lambda item: -item[1]))

    def largest(self, count: int) -> list[dict]:
        ordered = sorted(self.requests.values(), key=lambda r: -r["bytes"])[:count]
        return [{"url": short_url(r["url"]), "bytes": r["bytes"], "by": r["source"]} for r in ordered]

    def wait_idle(self, page) -> bool:
        """Pumps events until nothing is in flight and nothing happened for QUIET_S (bounded); True if idle."""
        deadline = time.monotonic() + IDLE_TIMEOUT_S
        while time.monotonic() < deadline:
            page.wait_for_timeout(250)  # lets Playwright dispatch the CDP events meanwhile
            if not self.in_flight and time.monotonic() - self.last_activity >= QUIET_S:
                return True
        return False


def is_worker_script(url: str) -> bool:
    return urlsplit(url).path == "/sw.js"


def short_url(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def collectstatic() -> float:
    """Runs `manage.py collectstatic` (as `make run` does); returns its seconds."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=PROJECT_DIR, check=True,
                   capture_output=True, timeout=600)
    return time.perf_counter() - started


def visit(page, meter: NetworkMeter, url: str, *, reload: bool) -> dict:
    """One visit of the home page: ms from navigation start to map visible, and the bytes transferred."""
    meter.reset()
    if reload:
        page.reload(wait_until="commit", timeout=VISIT_TIMEOUT_MS)
    else:
        page.goto(url, wait_until="commit", timeout=VISIT_TIMEOUT_MS)
    page.wait_for_function("() => window.__benchMapVisibleAt !== undefined", polling=100, timeout=VISIT_TIMEOUT_MS)
    map_ms, zones = page.evaluate("() => [window.__benchMapVisibleAt, window.__benchZonesDrawn]")
    bytes_at_map = meter.total()
    if not reload:  # the service worker installs after the first visit: wait until it controls the page
        page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null",
                               polling=200, timeout=VISIT_TIMEOUT_MS)
    idle = meter.wait_idle(page)
    return {"map_ms": map_ms, "zones_drawn": zones, "bytes_at_map": bytes_at_map, "bytes": meter.total(),
            "bytes_page": meter.total("page"), "bytes_worker": meter.total() - meter.total("page"),
            "idle": idle, "missed": meter.missed_worker_requests(), "by_type": meter.by_type(),
            "largest": meter.largest(LARGEST),
            "controlled": page.evaluate("() => navigator.serviceWorker.controller !== null")}


def run_mode(browser, base_url: str, conditions: dict, samples: int) -> tuple[list[tuple[dict, dict]], int]:
    """Visit pairs (first visit in a fresh context, then a reload in the same context); warm-ups discarded.

    A pair in which our session missed some of the service worker's requests is measured again (at most
    MAX_RETRIES times in all); returns the pairs and the number of pairs measured again.
    """
    pairs, retries, run = [], 0, 0
    while len(pairs) < samples:
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
        try:
            context.add_init_script(MAP_WATCH_JS)
            page = context.new_page()
            meter = NetworkMeter(context.new_cdp_session(page), conditions)
            context.on("request", meter.playwright_request)
            context.on("requestfinished", meter.playwright_finished)
            first = visit(page, meter, base_url + "/", reload=False)
            repeat = visit(page, meter, base_url + "/", reload=True)
        finally:
            context.close()
        run += 1
        if first["missed"] or repeat["missed"]:
            retries += 1
            if retries > MAX_RETRIES:
                raise RuntimeError(f"the service worker's requests were missed {retries} times: "
                                   f"{first['missed'] or repeat['missed']}")
            continue
        if run > WARMUP:
            pairs.append((first, repeat))
    return pairs, retries


def kb(values: list[int]) -> list[float]:
    return [v / 1000 for v in values]


def home_page(options: Options) -> list[Result]:
    """Time to map and bytes transferred on the home page, first and repeat visit, throttled and unthrottled."""
    from playwright.sync_api import sync_playwright

    # Nothing below touches the ORM while Playwright's event loop runs in this thread.
    collect_s = collectstatic()
    samples = options.samples(SAMPLES)
    measured, retried = {}, {}
    with gunicorn_server() as base_url, sync_playwright() as playwright:
        for label, conditions in MODES.items():
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                measured[label], retried[label] = run_mode(browser, base_url, conditions, samples)
            finally:
                browser.close()
    results = []
    for label, pairs in measured.items():
        throttled = label != "unthrottled"
        firsts, repeats = [p[0] for p in pairs], [p[1] for p in pairs]
        common = {"server_settings": server_settings_module(), "collectstatic_s": round(collect_s, 1),
                  "warmup": WARMUP, "conditions": MODES[label], "pairs_measured_again": retried[label]}
        for kind, visits in (("first", firsts), ("repeat", repeats)):
            map_ms = [v["map_ms"] for v in visits]
            bytes_all = [v["bytes"] for v in visits]
            time_extra = {**common, "zones_drawn": visits[-1]["zones_drawn"],
                          "bytes_at_map_visible_median": statistics.median(v["bytes_at_map"] for v in visits)}
            if throttled:
                time_extra.update(aim_ms=AIM_MAP_VISIBLE_MS,
                                  meets_aim=statistics.median(map_ms) <= AIM_MAP_VISIBLE_MS)
            bytes_extra = {**common,
                           "page_bytes_median": statistics.median(v["bytes_page"] for v in visits),
                           "service_worker_bytes_median": statistics.median(v["bytes_worker"] for v in visits),
                           "bytes_at_map_visible_median": statistics.median(v["bytes_at_map"] for v in visits),
                           "network_idle_reached": all(v["idle"] for v in visits),
                           "controlled_by_service_worker": visits[-1]["controlled"],
                           "bytes_by_type": visits[-1]["by_type"]}
            if kind == "first":
                bytes_extra.update(aim_bytes=AIM_FIRST_VISIT_BYTES,
                                   meets_aim=statistics.median(bytes_all) <= AIM_FIRST_VISIT_BYTES,
                                   page_only_meets_aim=bytes_extra["page_bytes_median"] <= AIM_FIRST_VISIT_BYTES,
                                   largest_resources=visits[-1]["largest"])
            else:
                bytes_extra["largest_resources"] = visits[-1]["largest"]
            results.append(Result(f"home {kind} visit: time to map ({label})", "ms", map_ms, extra=time_extra))
            results.append(Result(f"home {kind} visit: bytes, page + service worker ({label})", "KB",
                                  kb(bytes_all), extra=bytes_extra))
    return results
