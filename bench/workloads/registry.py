"""Figures of the zone registry (issue #4): SQL queries per zone listing, and the GeoJSON of every zone against its SQL.

Needs the reference data and the demo data (`manage.py seed_demo --zones 2000` for the figures of the issue). Every
HTTP request goes to a gunicorn started here on 127.0.0.1. Also home of the helpers the other workloads of this set
share: psql floors run with `-c jit=off` like the application's own connections, API tokens, GET with headers.
"""
import contextlib
import http.client
import json
import statistics
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.harness import (
    Options,
    Result,
    captured_sql,
    gunicorn_server,
    milliseconds,
    psql_command,
    server_settings_module,
    sql_timed,
    timed,
)
from geo_backend.api.query import MAX_LIMIT
from geo_backend.organisations.access import VISITOR, Audience, audience_for
from geo_backend.regions.models import AdminUnit
from geo_backend.taxonomy.models import Theme
from geo_backend.zones import selectors
from geo_backend.zones.models import Zone

LATENCY_SAMPLES = 15  # each sample moves the GeoJSON of every zone (megabytes): 15 keep the run short
LATENCY_WARMUP = 2
ALL_ZONES = 2000  # the size of the demo (`seed_demo --zones 2000`)
MAX_PAGES = 10  # bound on the pages fetched to get every zone
LISTING_MAX_FEATURES = 200  # the bound for "the zones of one organisation and theme"
ADMIN_USERNAME = "demo-admin"
DONOR_USERNAME = "demo-bailleur"


# --- helpers shared with analytics.py and site.py --------------------------------------------------------------


def psql_run_timed(statements: list[str], *, samples: int, warmup: int = 0, separate: bool = False) -> list[float]:
    """Wall-clock seconds per sample of running statements through psql, with the app's session settings
    (harness.psql_command sets PGOPTIONS, e.g. jit=off), output discarded.

    One psql invocation for all statements (joined by ";"), or one per statement summed when separate is true.
    Each invocation includes starting psql, connecting and loading PostGIS into the fresh backend.
    """
    commands = []
    for sql in (statements if separate else [";\n".join(s.rstrip().rstrip(";") for s in statements)]):
        command, env = psql_command(sql)
        commands.append((command, env))

    def run():
        for command, env in commands:
            subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)

    return timed(run, samples=samples, warmup=warmup)


def psql_setting(name: str) -> str:
    """The value of a setting as the psql floors see it (e.g. jit), to show in the details."""
    command, env = psql_command(f"SHOW {name}")
    command = [c for c in command if c not in ("-o", "/dev/null")]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True,
                          timeout=60).stdout.strip()


def user_named(username: str, *, superuser: bool = False):
    """The demo account, else (for the administrator) any active superuser; a clear error when there is none."""
    users = get_user_model().objects.filter(is_active=True)
    user = users.filter(username=username).first()
    if user is None and superuser:
        user = users.filter(is_superuser=True).order_by("id").first()
    if user is None:
        raise RuntimeError(f"no user {username!r}: run `manage.py seed_demo` first")
    return user


@contextlib.contextmanager
def api_token(user) -> Iterator[str]:
    """An API token of the user (django-rest-knox, as POST /api/v1/auth/token/ gives); deleted on the way out."""
    from knox.models import AuthToken

    instance, key = AuthToken.objects.create(user=user)
    try:
        yield key
    finally:
        instance.delete()


@dataclass
class Fetched:
    status: int
    headers: dict[str, str]
    body: bytes  # as on the wire (gzip when Content-Encoding says so)

    def decoded(self) -> bytes:
        import gzip

        return gzip.decompress(self.body) if self.headers.get("content-encoding") == "gzip" else self.body


def get(base_url: str, path: str, *, headers: dict | None = None, timeout: float = 120) -> Fetched:
    """One GET (gzip accepted) over a new loopback connection, body read in full; fails on anything but 200."""
    host, port = base_url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": "gzip", **(headers or {})})
        response = conn.getresponse()
        fetched = Fetched(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        conn.close()
    if fetched.status != 200:
        raise RuntimeError(f"GET {path}: HTTP {fetched.status}: {fetched.decoded()[:300]!r}")
    return fetched


def get_status(base_url: str, path: str, *, headers: dict | None = None) -> int:
    """The HTTP status of a GET (no check)."""
    try:
        get(base_url, path, headers=headers)
    except RuntimeError as error:
        return int(str(error).split("HTTP ")[1].split(":")[0])
    return 200


def token_header(key: str | None) -> dict:
    return {"Authorization": f"Token {key}"} if key else {}


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples), 2)


# --- (a) SQL queries per listing ---------------------------------------------------------------------------------


def listing_cases() -> dict[str, tuple[int, str, int]]:
    """The (organisation, theme domain, zones a visitor sees) with the fewest and the most zones, at most 200."""
    visible = selectors.interventions_visible(VISITOR)
    counts = []
    for domain in Theme.objects.filter(parent=None, is_active=True).order_by("code"):
        codes = selectors.theme_codes_with_children([domain.code])
        rows = (Zone.objects.filter(intervention__in=visible.filter(themes__code__in=codes))
                .values("intervention__organisation_id").annotate(n=Count("id", distinct=True)))
        counts += [(row["n"], row["intervention__organisation_id"], domain.code) for row in rows]
    counts = sorted(c for c in counts if 1 <= c[0] <= LISTING_MAX_FEATURES)
    if not counts:
        raise RuntimeError("no organisation has zones visible to the public: run `manage.py seed_demo` first")
    few, many = counts[0], counts[-1]
    return {"few": (few[1], few[2], few[0]), "many": (many[1], many[2], many[0])}


def count_queries(path: str, headers: dict) -> tuple[int, int, list[str]]:
    """Queries run by one in-process GET (django.test.Client), the features returned, and the SQL texts."""
    client = Client(HTTP_HOST="127.0.0.1")
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path}: HTTP {response.status_code}: {response.content[:300]!r}")
    features = len(json.loads(response.content)["features"])
    return len(context.captured_queries), features, [q["sql"][:120] for q in context.captured_queries]


def listing_queries(options: Options) -> Result:
    """SQL queries of GET /api/v1/zones/?organisation=X&theme=Y for a small and a large listing (≤ 200 features).

    In-process (django.test.Client + CaptureQueriesContext), as a visitor and as the administrator (token). The
    figure is the largest count; `extra` gives every count. A constant count means no N+1. Not asserted here.
    """
    cases = listing_cases()
    admin = user_named(ADMIN_USERNAME, superuser=True)
    details, counts = {}, []
    with api_token(admin) as key:
        for case, (organisation, theme, _expected) in cases.items():
            path = f"/api/v1/zones/?organisation={organisation}&theme={theme}&limit={LISTING_MAX_FEATURES}"
            for who, headers in (("visitor", {}), ("admin", token_header(key))):
                queries, features, sqls = count_queries(path, headers)
                counts.append(queries)
                details[f"{case}_{who}"] = {"path": path, "features": features, "queries": queries,
                                            "statements": sqls}
    by_case = {key: value["queries"] for key, value in details.items()}
    return Result(
        "SQL queries per zone listing (organisation + theme)", "queries", [max(counts)],
        extra={"queries": by_case,
               "constant_across_sizes": (by_case["few_visitor"] == by_case["many_visitor"]
                                         and by_case["few_admin"] == by_case["many_admin"]),
               "cases": details},
    )


# --- (b), (c) GeoJSON of every zone over HTTP vs its SQL through psql --------------------------------------------


def all_zones(audience: Audience, key: str | None, *, name: str, options: Options) -> Result:
    """GET every zone the audience sees (GeoJSON, gzip) on a fresh gunicorn, against its SQL through psql."""
    if not AdminUnit.objects.exists():
        raise RuntimeError("no reference data in the database: run `make bootstrap` first")
    total = selectors.zones_feature_collection(audience, limit=1)[1]
    if total == 0:
        raise RuntimeError("no zones: run `manage.py seed_demo --zones 2000` first")
    headers = token_header(key)
    # The API caps limit (MAX_LIMIT): every zone takes ceil(total / MAX_LIMIT) pages.
    pages = [(offset, min(MAX_LIMIT, total - offset)) for offset in range(0, total, MAX_LIMIT)][:MAX_PAGES]
    paths = [f"/api/v1/zones/?limit={MAX_LIMIT}&offset={offset}" for offset, _ in pages]
    # The floor: the SQL of one statement building the whole collection (limit = every zone) ...
    (single_sql,) = captured_sql(lambda: selectors.zones_feature_collection(audience, limit=max(total, ALL_ZONES)))
    # ... and, for comparison, the SQL of the pages the server runs.
    page_sqls = [captured_sql(lambda o=offset: selectors.zones_feature_collection(audience, limit=MAX_LIMIT,
                                                                                  offset=o))[0]
                 for offset, _ in pages]
    samples = options.samples(LATENCY_SAMPLES)
    with gunicorn_server() as base_url:
        single_status = get_status(base_url, f"/api/v1/zones/?limit={ALL_ZONES}", headers=headers)
        first = [get(base_url, path, headers=headers) for path in paths]

        def fetch_all():
            for path in paths:
                get(base_url, path, headers=headers)

        http_ms = milliseconds(timed(fetch_all, samples=samples, warmup=LATENCY_WARMUP))
        first_page_ms = milliseconds(timed(lambda: get(base_url, paths[0], headers=headers), samples=samples))
    floor_ms = milliseconds(psql_run_timed([single_sql], samples=samples, warmup=LATENCY_WARMUP))
    pages_psql_ms = milliseconds(psql_run_timed(page_sqls, samples=samples, warmup=1, separate=True))
    psql_select_1_ms = milliseconds(psql_run_timed(["SELECT 1"], samples=samples, warmup=1))
    open_connection_ms = milliseconds(sql_timed(single_sql, samples=samples, warmup=1))
    features = sum(len(json.loads(f.decoded())["features"]) for f in first)
    wire = sum(len(f.body) for f in first)
    raw = sum(len(f.decoded()) for f in first)
    return Result(
        name, "ms", http_ms, floor_name="same SQL via psql (one statement, all zones)", floor_samples=floor_ms,
        extra={
            "zones_visible": total, "features_received": features, "pages": paths,
            "http_status_of_limit_2000": single_status, "api_max_limit": MAX_LIMIT,
            "bytes_raw": raw, "bytes_gzip_wire": wire,
            "content_encoding": first[0].headers.get("content-encoding", "identity"),
            "first_page_alone_median_ms": median_ms(first_page_ms),
            "psql_page_statements_summed_median_ms": median_ms(pages_psql_ms),
            "ratio_to_psql_page_statements": round(statistics.median(http_ms) / statistics.median(pages_psql_ms), 2),
            "psql_select_1_median_ms": median_ms(psql_select_1_ms),
            "sql_on_open_connection_median_ms": median_ms(open_connection_ms),
            "psql_jit": psql_setting("jit"), "server_settings": server_settings_module(),
            "warmup": LATENCY_WARMUP, "sql_chars": len(single_sql),
        },
    )


def all_zones_admin(options: Options) -> Result:
    """Every zone (exact geometries) as the administrator, authenticated by a DRF token."""
    admin = user_named(ADMIN_USERNAME, superuser=True)
    with api_token(admin) as key:
        return all_zones(audience_for(admin), key, name="GET /api/v1/zones/ every zone, admin", options=options)


def all_zones_visitor(options: Options) -> Result:
    """Every zone a visitor sees (validated, public exact + coarse as whole communes)."""
    return all_zones(VISITOR, None, name="GET /api/v1/zones/ every zone, visitor", options=options)

