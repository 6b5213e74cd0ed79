"""A tiny benchmark framework: workloads return Results; the harness summarises, compares with floors and writes.

A workload is a function ``workload(options) -> Result | list[Result]``. Each Result carries raw samples (warm-ups
already discarded) and, optionally, the samples of a floor measured in the same run: the cheapest way to get the
same answer (e.g. the same SQL through psql), so that ``median / floor median`` says how much our stack adds.

Also here: the helpers several workloads share (timing, a gunicorn server on loopback, psql as a floor,
capturing the exact SQL a selector runs).
"""
import contextlib
import gzip
import http.client
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"


@dataclass
class Result:
    """One reported figure: its samples, and optionally a floor's samples measured in the same run."""

    name: str
    unit: str
    samples: list[float]
    floor_name: str | None = None
    floor_samples: list[float] | None = None
    extra: dict = field(default_factory=dict)


@dataclass
class Options:
    """Run-wide options handed to every workload."""

    repeat: int | None = None  # --repeat N: overrides every workload's sample count

    def samples(self, default: int) -> int:
        """The number of samples to take: --repeat when given, else the workload's default."""
        return self.repeat if self.repeat else default


Workload = Callable[[Options], "Result | list[Result]"]


def workload_name(workload: Workload) -> str:
    """The selectable name of a workload: "<module>.<function>", e.g. "boundaries.full_load"."""
    return f"{workload.__module__.rsplit('.', 1)[-1]}.{workload.__name__}"


# --- statistics and reporting -------------------------------------------------------------------------------


def summary(samples: list[float]) -> dict:
    """Median, quartiles, min, max and n of a list of samples."""
    ordered = sorted(samples)
    if len(ordered) >= 2:
        p25, _, p75 = statistics.quantiles(ordered, n=4, method="inclusive")
    else:
        p25 = p75 = ordered[0]
    return {"n": len(ordered), "median": statistics.median(ordered), "p25": p25, "p75": p75,
            "min": ordered[0], "max": ordered[-1]}


def result_record(result: Result) -> dict:
    """A Result as a JSON-ready dict with its summary, the floor's summary and the ratio."""
    record = {"name": result.name, "unit": result.unit, **summary(result.samples), "samples": result.samples}
    if result.floor_samples:
        floor = summary(result.floor_samples)
        record["floor"] = {"name": result.floor_name, **floor, "samples": result.floor_samples}
        record["ratio"] = record["median"] / floor["median"] if floor["median"] else None
    record["extra"] = result.extra
    return record


def fmt(value: float | None) -> str:
    """A number with about three significant digits, without scientific notation for large values."""
    if value is None:
        return "–"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 0.1 or value == 0:
        return f"{value:.2f}"
    return f"{value:.3g}"


def markdown_table(records: list[dict]) -> str:
    """The results as a Markdown table (one row per figure)."""
    lines = ["| workload | median | p25–p75 | min–max | n | floor median | ratio |",
             "|---|---|---|---|---|---|---|"]
    for r in records:
        unit = r["unit"]
        floor = r.get("floor")
        floor_text = f"{fmt(floor['median'])} {unit} ({floor['name']})" if floor else "–"
        ratio = f"{r['ratio']:.2f}×" if r.get("ratio") else "–"
        lines.append(
            f"| {r['name']} | {fmt(r['median'])} {unit} | {fmt(r['p25'])}–{fmt(r['p75'])} "
            f"| {fmt(r['min'])}–{fmt(r['max'])} | {r['n']} | {floor_text} | {ratio} |"
        )
    return "\n".join(lines)


def markdown_details(records: list[dict]) -> str:
    """The extra information of each figure (aims, per-layer times, …) as a Markdown list."""
    lines = []
    for r in records:
        if r["extra"]:
            lines.append(f"- **{r['name']}**: `{json.dumps(r['extra'], ensure_ascii=False, default=str)}`")
    return "\n".join(lines)


def run_metadata() -> dict:
    """Where and when the run happened, so that results files can be compared with some care."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR, capture_output=True,
                            text=True).stdout.strip()
    return {"started_at": datetime.now(UTC).isoformat(timespec="seconds"), "host": platform.node(),
            "python": platform.python_version(), "cpus": os.cpu_count(), "git_commit": commit or None,
            "settings": os.environ.get("DJANGO_SETTINGS_MODULE")}


def run_workloads(workloads: list[Workload], options: Options) -> dict:
    """Runs the workloads in order; a failing workload is reported and the others still run."""
    report = {"meta": run_metadata(), "results": [], "errors": []}
    for workload in workloads:
        name = workload_name(workload)
        print(f"==> {name}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        try:
            produced = workload(options)
        except Exception as error:  # noqa: BLE001  (one broken workload must not hide the others' figures)
            print(f"    FAILED: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
            report["errors"].append({"workload": name, "error": f"{type(error).__name__}: {error}"})
            continue
        for result in produced if isinstance(produced, list) else [produced]:
            report["results"].append(result_record(result))
        print(f"    done in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return report


def write_report(report: dict, results_dir: Path = RESULTS_DIR) -> str:
    """Writes results.json and results.md; returns the Markdown table."""
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "results.json").write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
    table = markdown_table(report["results"])
    parts = [f"# Musoya benchmarks ({report['meta']['started_at']}, {report['meta']['host']})", "", table]
    details = markdown_details(report["results"])
    if details:
        parts += ["", "## Details", "", details]
    if report["errors"]:
        parts += ["", "## Errors", ""] + [f"- {e['workload']}: {e['error']}" for e in report["errors"]]
    (results_dir / "results.md").write_text("\n".join(parts) + "\n")
    return table


# --- helpers shared by workloads ------------------------------------------------------------------------------


def timed(function: Callable[[], object], *, samples: int, warmup: int = 0) -> list[float]:
    """Wall-clock seconds of `samples` calls of function, after `warmup` calls whose times are discarded."""
    for _ in range(warmup):
        function()
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def milliseconds(seconds: list[float]) -> list[float]:
    """Seconds to milliseconds."""
    return [s * 1000 for s in seconds]


@dataclass
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: bytes  # as sent on the wire (still gzip-compressed when Content-Encoding is gzip)

    def decoded(self) -> bytes:
        """The body after undoing Content-Encoding: gzip."""
        return gzip.decompress(self.body) if self.headers.get("content-encoding") == "gzip" else self.body


def http_get(base_url: str, path: str, *, gzip_ok: bool = True, timeout: float = 60,
             accept_encoding: str = "gzip") -> HttpResponse:
    """One GET over a new connection (gunicorn's sync worker closes connections anyway), body read in full."""
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": accept_encoding} if gzip_ok else {})
        response = connection.getresponse()
        body = response.read()
        return HttpResponse(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        connection.close()


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_settings_module() -> str:
    """The settings for the bench server: ours, unless their static storage needs a manifest that is missing.

    geo_backend.settings.base serves static files through a manifest written by collectstatic; `make bench`
    does not run collectstatic, so without one the server uses the test settings (plain static storage).
    """
    from django.conf import settings

    module = os.environ.get("DJANGO_SETTINGS_MODULE", "geo_backend.settings.base")
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    if "Manifest" in backend and not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        return "geo_backend.settings.test"
    return module


@contextlib.contextmanager
def gunicorn_server(*, start_timeout: float = 60, started: list | None = None) -> Iterator[str]:
    """Starts gunicorn (1 worker, 1 thread) on a free loopback port; yields its base URL; always stops it.
    `started`, when given, receives the master's Popen (to find its worker, bench/workloads/throughput.py)."""
    port = free_port()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    log_path = RESULTS_DIR / "gunicorn.log"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": server_settings_module()}
    command = [str(Path(sys.executable).parent / "gunicorn"), "geo_backend.wsgi:application",
               "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "1", "--timeout", "120",
               "--chdir", str(PROJECT_DIR),
               # gunicorn's control socket has one default path per user: do not take over a `make run` server's.
               "--no-control-socket"]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=log, stderr=log)
    if started is not None:
        started.append(process)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout
        while True:  # bounded by the deadline: wait until the worker has loaded Django and answers
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with code {process.returncode}; see {log_path}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within {start_timeout:.0f} s; see {log_path}")
            with contextlib.suppress(OSError):
                # Any answer will do; an invalid level is rejected before any database work.
                http_get(base_url, "/api/v1/areas/?level=99", timeout=5)
                break
            time.sleep(0.2)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def psql_binary() -> str:
    """The psql client: PostgreSQL 15's own, else the one on PATH."""
    own = Path("/usr/lib/postgresql/15/bin/psql")
    found = str(own) if own.exists() else shutil.which("psql")
    if not found:
        raise RuntimeError("psql not found (install postgresql-client)")
    return found


def psql_command(sql: str) -> tuple[list[str], dict]:
    """The psql command line (and environment) that runs sql on the Django database and discards the output."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    command = [psql_binary(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-o", "/dev/null",
               "-h", db["HOST"] or "localhost", "-U", db["USER"], "-d", db["NAME"], "-c", sql]
    if db.get("PORT"):
        command[1:1] = ["-p", str(db["PORT"])]
    # The same session settings as the app's own connections (settings: -c jit=off), so the floor is fair.
    env = {**os.environ, "PGOPTIONS": db.get("OPTIONS", {}).get("options", "")}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return command, env


def psql_timed(sql: str, *, samples: int, warmup: int = 0) -> list[float]:
    """Wall-clock seconds per psql invocation (process start, connection, query, output to /dev/null)."""
    command, env = psql_command(sql)

    def run():
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=120)

    return timed(run, samples=samples, warmup=warmup)


def sql_timed(sql: str, *, samples: int, warmup: int = 0) -> list[float]:
    """Wall-clock seconds of sql (parameters already bound) on Django's open connection, result fetched."""
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql)  # no params: the text is sent as is, so its % signs are not placeholders
            cursor.fetchall()

    return timed(run, samples=samples, warmup=warmup)


def captured_sql(function: Callable[[], object]) -> list[str]:
    """The SQL statements, parameters bound, that function runs on the default database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        function()
    return [query["sql"] for query in context.captured_queries]
