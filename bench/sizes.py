"""Runs the workloads at several demo sizes (`python -m bench.run --zones 2000,20000`), each size in a database of
its own, and reports every figure side by side with its floor and the growth factor from the smallest size.

The database of a size is `<the run's database>_z<zones>`: created and loaded (`bootstrap --no-demo`) when missing,
migrated, then seeded with `seed_demo --reset --zones N` unless its comment says that very command already seeded
it (the comment is set once a seed succeeds). Seeding prints its own progress (and seconds) to stderr. The
databases are kept for the next run; drop them by hand.
"""
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.harness import PROJECT_DIR, Options, fmt, psql_binary, run_metadata, run_workloads

# Organisations for N zones: the demo's default 24 up to 2,000 zones, then 300 for 20,000 as the issue seeds.
ORGANISATIONS_PER_ZONE = 300 / 20_000


def organisations_for(zones: int) -> int:
    return max(24, round(zones * ORGANISATIONS_PER_ZONE))


def _psql(database: str, sql: str) -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    command = [psql_binary(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", db["HOST"] or "localhost",
               "-U", db["USER"], "-d", database, "-c", sql]
    if db.get("PORT"):
        command[1:1] = ["-p", str(db["PORT"])]
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=600).stdout.strip()


def _manage(database_url: str, *args: str) -> None:
    """A manage.py command on the size's database; its output goes to stderr (seed_demo's progress)."""
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=env, check=True, stdout=sys.stderr)


def prepare(base_name: str, base_url: str, zones: int) -> tuple[str, str, float | None]:
    """The size's database (name, URL), created and seeded when needed; and the seconds seeding took (None when
    the database already held that demo)."""
    name = f"{base_name}_z{zones}"
    url = f"{base_url.rsplit('/', 1)[0]}/{name}"
    created = not _psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
    if created:
        _psql("postgres", f"CREATE DATABASE {name}")
    _manage(url, "migrate", "--noinput", "-v0")  # a kept database follows the code's migrations too
    if created:
        _manage(url, "createcachetable")
        _manage(url, "bootstrap", "--no-demo")
    # The seeding's own command line, kept as the database's comment once it succeeded: counting demo zones could not
    # tell (the collaboration demo adds zones of its own, so every run seeded again).
    command = ["seed_demo", "--reset", "--zones", str(zones), "--organisations", str(organisations_for(zones))]
    seeded = _psql("postgres",
                   f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{name}'")
    if seeded == " ".join(command):
        return name, url, None
    started = time.perf_counter()
    _manage(url, *command)
    seconds = time.perf_counter() - started
    _psql("postgres", f"COMMENT ON DATABASE {name} IS '{' '.join(command)}'")
    return name, url, seconds


def use_database(name: str, url: str) -> None:
    """Points this process (and the servers and psql floors it starts) at the size's database."""
    from django.db import connections

    os.environ["DATABASE_URL"] = url
    connections["default"].close()
    connections["default"].settings_dict["NAME"] = name


def run_sizes(workloads: list, options: Options, sizes: list[int]) -> dict:
    from django.conf import settings

    base_name = settings.DATABASES["default"]["NAME"]
    base_url = os.environ.get("DATABASE_URL") or f"postgis:///{base_name}"
    report = {"meta": run_metadata(), "sizes": {}, "results": [], "errors": []}
    try:
        for zones in sizes:
            print(f"==> {zones} zones", file=sys.stderr, flush=True)
            name, url, seeding = prepare(base_name, base_url, zones)
            use_database(name, url)
            sized = run_workloads(workloads, options)
            report["sizes"][zones] = {"database": name, "seed_seconds": seeding,
                                      "organisations": organisations_for(zones), "results": sized["results"],
                                      "errors": sized["errors"]}
            report["errors"] += [{**e, "workload": f"{e['workload']} @ {zones} zones"} for e in sized["errors"]]
    finally:
        use_database(base_name, base_url)
    return report


def side_by_side(report: dict) -> str:
    """One row per figure: median and floor median at each size, and the growth factor from the smallest size."""
    sizes = sorted(report["sizes"])
    header = "| figure | " + " | ".join(f"{n:,} zones (floor)" for n in sizes) + " | growth |"
    lines = [header, "|---" * (len(sizes) + 2) + "|"]
    names = list(dict.fromkeys(r["name"] for n in sizes for r in report["sizes"][n]["results"]))
    for figure in names:
        cells, medians = [], []
        for n in sizes:
            record = next((r for r in report["sizes"][n]["results"] if r["name"] == figure), None)
            if record is None:
                cells.append("–")
                medians.append(None)
                continue
            floor = record.get("floor")
            cells.append(f"{fmt(record['median'])} {record['unit']}"
                         + (f" ({fmt(floor['median'])})" if floor else ""))
            medians.append(record["median"])
        growth = (f"{medians[-1] / medians[0]:.2f}×" if len(medians) > 1 and medians[0] and medians[-1] is not None
                  else "–")
        lines.append(f"| {figure} | " + " | ".join(cells) + f" | {growth} |")
    seeding = " · ".join(f"{n:,} zones: seeded in {fmt(report['sizes'][n]['seed_seconds'])} s"
                         if report["sizes"][n]["seed_seconds"] is not None else f"{n:,} zones: already seeded"
                         for n in sizes)
    return "\n".join(lines) + f"\n\n{seeding}\n"


def write_sizes_report(report: dict, results_dir: Path) -> str:
    import json

    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "results.json").write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
    table = side_by_side(report)
    errors = "".join(f"\n- {e['workload']}: {e['error']}" for e in report["errors"])
    (results_dir / "results.md").write_text(
        f"# Musoya benchmarks by size ({report['meta']['started_at']}, {report['meta']['host']})\n\n{table}"
        + (f"\n## Errors\n{errors}\n" if errors else ""))
    return table
