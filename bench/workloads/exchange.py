"""Import of a 500-row 3W table (dry run and real run) against `ogr2ogr` loading the same rows into PostGIS.

The table is made here from the real communes (a fixed sample), messy as people's files are: semicolons and
Windows-1252, names without accents or with "Commune rurale de", French dates and decimal commas, a few rows by
P-code only. Every run happens inside a transaction rolled back (the organisation and account it imports for
too), so the database ends as it was; the floor's table is dropped after each load.
"""
import csv
import io
import os
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from django.contrib.auth.models import User
from django.db import connection, transaction

from bench.harness import Options, Result, milliseconds, timed
from geo_backend.exchange.services import import_file
from geo_backend.organisations.access import audience_for
from geo_backend.organisations.models import Organisation

ROWS = 500
HEADER = ["Organisation", "Intitulé", "Thème", "Région", "Cercle", "Commune", "P-code", "Date de début",
          "Date de fin", "Statut", "Femmes ciblées"]
THEMES = ["VBG", "Participation politique et leadership", "autonomisation-economique", "Accès à la justice"]
FLOOR_TABLE = "bench_exchange_floor"


def messy_rows(count: int = ROWS, seed: int = 15) -> list[list[str]]:
    """count rows, one per (intervention, commune), in the ways people write them."""
    with connection.cursor() as cursor:
        cursor.execute("""SELECT m.pcode, m.name, c.name, r.name FROM regions_adminunit m
                          JOIN regions_adminunit c ON c.id = m.parent_id JOIN regions_adminunit r ON r.id = c.parent_id
                          JOIN regions_edition e ON e.id = m.edition_id AND e.is_default
                          WHERE m.level = 3 ORDER BY m.pcode""")
        communes = cursor.fetchall()
    if not communes:
        raise RuntimeError("no reference data in the database: run `make bootstrap` first")
    pick = random.Random(seed)
    rows = []
    for n in range(count):
        pcode, commune, cercle, region = pick.choice(communes)
        if n % 7 == 0:
            commune = f"Commune rurale de {commune}"
        if n % 5 == 0:
            commune, cercle, region = commune.upper(), cercle.upper(), region.upper()
        by_code = n % 11 == 0
        rows.append(["Association banc d'essai", f"Activité {n + 1}", THEMES[n % len(THEMES)],
                     "" if by_code else region, "" if by_code else cercle, "" if by_code else commune,
                     pcode if by_code else "", f"{1 + n % 28:02d}/{1 + n % 12:02d}/2025", "31/12/2026",
                     "En cours", f"{100 + n},0"])
    return rows


def semicolon_cp1252(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("cp1252", errors="replace")


def _import_rolled_back(data: bytes, *, dry_run: bool) -> dict:
    with transaction.atomic():
        person = User.objects.create_user("bench-exchange", is_superuser=True)
        Organisation.objects.create(name="Association banc d'essai", slug="bench-exchange", kind="association",
                                    status="active")
        report = import_file(audience=audience_for(person), data=data, filename="bench.csv", dry_run=dry_run)
        transaction.set_rollback(True)
    return report


def _ogr2ogr_load(path: Path) -> None:
    db = connection.settings_dict
    target = (f"PG:host={db.get('HOST') or 'localhost'} dbname={db['NAME']} user={db.get('USER') or ''}"
              + (f" port={db['PORT']}" if db.get("PORT") else "") + (f" password={db['PASSWORD']}"
                                                                     if db.get("PASSWORD") else ""))
    # GDAL's CSV driver finds the semicolons itself; PostgreSQL converts the Windows-1252 text.
    subprocess.run(["ogr2ogr", "-f", "PostgreSQL", target, str(path), "-nln", FLOOR_TABLE, "-overwrite"],
                   check=True, capture_output=True, env={**os.environ, "PGCLIENTENCODING": "WIN1252"})
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {FLOOR_TABLE}")
        (loaded,) = cursor.fetchone()
        cursor.execute(f"DROP TABLE {FLOOR_TABLE}")
    if loaded != ROWS:
        raise RuntimeError(f"ogr2ogr loaded {loaded} rows, not {ROWS}")


def import_500_rows(options: Options) -> list[Result]:
    """Seconds to import the table: dry run (read, match, plan) and real run (all of that, then every intervention
    and zone written through the services, coverage atoms included), against ogr2ogr loading the same rows."""
    if not shutil.which("ogr2ogr"):
        raise RuntimeError("ogr2ogr (gdal-bin) is missing")
    data = semicolon_cp1252(messy_rows())
    first = _import_rolled_back(data, dry_run=True)  # also warms the place matcher's cache
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rows.csv"
        path.write_bytes(data)
        floor = timed(lambda: _ogr2ogr_load(path), samples=options.samples(5), warmup=1)
    dry = timed(lambda: _import_rolled_back(data, dry_run=True), samples=options.samples(5), warmup=1)
    started = time.perf_counter()
    real_report = _import_rolled_back(data, dry_run=False)
    real = [time.perf_counter() - started]
    real += timed(lambda: _import_rolled_back(data, dry_run=False), samples=max(options.samples(3) - 1, 0))
    methods = {}
    for row in first["rows"]:
        method = (row["place"] or {}).get("method") or row["action"]
        methods[method] = methods.get(method, 0) + 1
    extra = {"rows": ROWS, "rows_with_errors": first["counts"]["errors"], "interventions": first["counts"]["create"],
             "place_methods": methods, "created_by_real_run": real_report["counts"]["create"]}
    return [
        Result("import 500 rows, dry run", "ms", milliseconds(dry), floor_name="ogr2ogr into PostGIS",
               floor_samples=milliseconds(floor), extra=extra),
        Result("import 500 rows, real run (rolled back)", "ms", milliseconds(real), floor_name="ogr2ogr into PostGIS",
               floor_samples=milliseconds(floor), extra=extra),
    ]
