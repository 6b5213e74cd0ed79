"""Requests per second of the stored boundary layers (cercles GeoJSON, a z6 area tile), side by side with a static
file served by the same server: the layers are rendered once per edition and then served as stored bytes
(regions/layer_store.py), so they should run near static-file speed.

Load from `wrk` (Debian package `wrk`, a benchmark requirement only: `make bench` installs it) on loopback against
a gunicorn the workload starts (1 worker, 1 thread: one core), `Accept-Encoding: gzip, br` as a browser sends.
"""
import re
import shutil
import subprocess

from bench.harness import Options, Result, gunicorn_server, http_get, server_settings_module
from bench.workloads.boundaries import TILE, default_edition
from bench.workloads.site import collectstatic

DURATION_S = 5
CONNECTIONS = 4
SAMPLES = 3
AIM_PER_CORE = 1000
STATIC_PATH = "/static/web/site.css"  # hashed by collectstatic; the server resolves it through the manifest


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk not found: `apt-get install wrk` (or `make bench`, which installs it)")
    return found


def requests_per_second(base_url: str, path: str) -> tuple[float, dict]:
    """One wrk run of DURATION_S seconds; its requests/s and the errors it counted."""
    completed = subprocess.run(
        [wrk_binary(), "-t1", f"-c{CONNECTIONS}", f"-d{DURATION_S}s", "-H", "Accept-Encoding: gzip, br",
         base_url + path], capture_output=True, text=True, check=True, timeout=DURATION_S + 60)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", completed.stdout)
    if not rate:
        raise RuntimeError(f"wrk said: {completed.stdout} {completed.stderr}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", completed.stdout)
    socket_errors = re.search(r"Socket errors: (.*)", completed.stdout)
    return float(rate.group(1)), {"non_2xx": int(errors.group(1)) if errors else 0,
                                  "socket_errors": socket_errors.group(1) if socket_errors else None}


def static_url() -> str:
    from django.templatetags.static import static

    return static("web/site.css")


def layer_throughput(options: Options) -> list[Result]:
    """Requests/s of the cercles layer and the z6 tile (stored bytes), with a static file as floor."""
    default_edition()
    collectstatic()
    samples = options.samples(SAMPLES)
    z, x, y = TILE
    paths = {"GET /api/v1/areas/?level=2 (stored)": "/api/v1/areas/?level=2",
             f"GET /tiles/areas/{z}/{x}/{y}.pbf (stored)": f"/tiles/areas/{z}/{x}/{y}.pbf"}
    results = []
    with gunicorn_server() as base_url:
        static_path = static_url()
        for path in [static_path, *paths.values()]:  # the first request renders and stores each layer
            response = http_get(base_url, path)
            if response.status != 200:
                raise RuntimeError(f"GET {path}: HTTP {response.status}")
        static_rates = [requests_per_second(base_url, static_path)[0] for _ in range(samples)]
        for name, path in paths.items():
            runs = [requests_per_second(base_url, path) for _ in range(samples)]
            first = http_get(base_url, path)
            results.append(Result(
                name, "req/s", [rate for rate, _ in runs], floor_name=f"static file {static_path}",
                floor_samples=static_rates,
                extra={"aim_per_core": AIM_PER_CORE, "meets_aim": min(rate for rate, _ in runs) >= AIM_PER_CORE,
                       "wrk": f"-t1 -c{CONNECTIONS} -d{DURATION_S}s", "errors": [e for _, e in runs],
                       "content_encoding": first.headers.get("content-encoding", "identity"),
                       "wire_bytes": len(first.body), "server_settings": server_settings_module(),
                       "server": "gunicorn, 1 worker, 1 thread"}))
    return results
