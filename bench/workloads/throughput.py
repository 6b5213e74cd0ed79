"""Requests per second of the stored boundary layers (cercles GeoJSON, a z6 area tile), side by side with a static
file served by the same server: the layers the site asks for are answered from the worker's memory before Django
(regions/layer_middleware.py), where WhiteNoise answers the static files, so they should run at static-file speed.

Load from `wrk` (Debian package `wrk`, a benchmark requirement only: `make bench` installs it) on loopback against
a gunicorn the workload starts (1 worker, 1 thread: one core), `Accept-Encoding: gzip, br` as a browser sends.
Two figures per layer: requests per second of wall-clock time, and requests per second of the worker's CPU time
(user + system, from /proc): on a machine shared with other work the first moves with the load, the second much
less, and it is what "requests/s per core" means.
"""
import os
import re
import shutil
import subprocess
from pathlib import Path

from bench.harness import Options, Result, gunicorn_server, http_get, server_settings_module
from bench.workloads.boundaries import TILE, default_edition
from bench.workloads.site import collectstatic

DURATION_S = 5
CONNECTIONS = 4
SAMPLES = 3
AIM_PER_CORE = 1000
ACCEPT_ENCODING = "gzip, br"  # as a browser sends
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk not found: `apt-get install wrk` (or `make bench`, which installs it)")
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/<pid>/stat, fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def worker_pid(master_pid: int) -> int:
    """The one worker of a gunicorn master (--workers 1)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    if len(children) != 1:
        raise RuntimeError(f"expected one gunicorn worker, found {children}")
    return int(children[0])


def wrk_run(base_url: str, path: str, worker: int) -> dict:
    """One wrk run of DURATION_S seconds: its requests/s, the requests per CPU-second the worker spent on them, and
    the errors wrk counted."""
    cpu_before = cpu_seconds(worker)
    completed = subprocess.run(
        [wrk_binary(), "-t1", f"-c{CONNECTIONS}", f"-d{DURATION_S}s", "-H", f"Accept-Encoding: {ACCEPT_ENCODING}",
         base_url + path], capture_output=True, text=True, check=True, timeout=DURATION_S + 60)
    cpu = cpu_seconds(worker) - cpu_before
    rate = re.search(r"Requests/sec:\s+([\d.]+)", completed.stdout)
    total = re.search(r"(\d+) requests in", completed.stdout)
    if not rate or not total:
        raise RuntimeError(f"wrk said: {completed.stdout} {completed.stderr}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", completed.stdout)
    socket_errors = re.search(r"Socket errors: (.*)", completed.stdout)
    return {"rate": float(rate.group(1)), "per_cpu_second": int(total.group(1)) / cpu if cpu else 0.0,
            "errors": {"non_2xx": int(errors.group(1)) if errors else 0,
                       "socket_errors": socket_errors.group(1) if socket_errors else None}}


def static_url() -> str:
    from django.templatetags.static import static

    return static("web/site.css")


def layer_throughput(options: Options) -> list[Result]:
    """Requests/s of the cercles layer and the z6 tile (stored bytes), with a static file as floor."""
    collectstatic()
    samples = options.samples(SAMPLES)
    z, x, y = TILE
    paths = {"GET /api/v1/areas/?level=2 (stored)": "/api/v1/areas/?level=2",
             f"GET /tiles/areas/{z}/{x}/{y}.pbf (stored)": f"/tiles/areas/{z}/{x}/{y}.pbf",
             # The same stored layer through Django's whole stack (a named edition skips the fast path): what the
             # fast path saves.
             "GET /api/v1/areas/?level=2&edition=… (stored, through Django)":
                 f"/api/v1/areas/?level=2&edition={default_edition().slug}"}
    results = []
    started = []
    with gunicorn_server(started=started) as base_url:
        worker = worker_pid(started[0].pid)
        static_path = static_url()
        for path in [static_path, *paths.values()]:  # the first request renders and stores each layer
            response = http_get(base_url, path)
            if response.status != 200:
                raise RuntimeError(f"GET {path}: HTTP {response.status}")
        # Interleaved (the static file, then each layer, in every round): on a shared machine the load drifts, and
        # the figures of one round then see the same conditions.
        static_runs, runs = [], {path: [] for path in paths.values()}
        for _ in range(samples):
            static_runs.append(wrk_run(base_url, static_path, worker))
            for path in paths.values():
                runs[path].append(wrk_run(base_url, path, worker))
        static_bytes = len(http_get(base_url, static_path, accept_encoding=ACCEPT_ENCODING).body)
        for name, path in paths.items():
            first = http_get(base_url, path, accept_encoding=ACCEPT_ENCODING)
            extra = {"aim_per_core": AIM_PER_CORE, "wrk": f"-t1 -c{CONNECTIONS} -d{DURATION_S}s",
                     "errors": [run["errors"] for run in runs[path]],
                     "content_encoding": first.headers.get("content-encoding", "identity"),
                     "wire_bytes": len(first.body), "static_file_wire_bytes": static_bytes,
                     "server_settings": server_settings_module(), "server": "gunicorn, 1 worker, 1 thread"}
            for figure, label in (("rate", "req/s"), ("per_cpu_second", "req per worker CPU-second")):
                rates = [run[figure] for run in runs[path]]
                statics = [run[figure] for run in static_runs]
                results.append(Result(
                    f"{name}, {label}", "req/s", rates, floor_name=f"static file {static_path}",
                    floor_samples=statics,
                    extra={**extra, "meets_aim": min(rates) >= AIM_PER_CORE,
                           "ratio_per_round": [round(rate / static, 2)
                                               for rate, static in zip(rates, statics, strict=True)]}))
    return results
