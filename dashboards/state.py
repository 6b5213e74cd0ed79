"""The dashboard's filters and their place in the URL query string. Pure: no Django, no Dash.

The query string is the state: a page reads it on load and the browser rewrites it (history.replaceState, see
URL_WRITER in app.py, which mirrors to_query) on every filter change, so a copied link reopens the same view.
Keys are French, like the site's addresses: ?niveau=3&mesure=femmes&themes=vbg,acces-justice&reseau=4&de=2020&a=2024
"""
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

LEVELS = (1, 2, 3)  # region, cercle, commune
DEFAULT_LEVEL = 2
# Query value -> column of the coverage frame that the coverage map shows.
METRICS = {
    "organisations": "organisations",
    "femmes": "women_share_covered",
    "femmes-par-organisation": "women_per_organisation",
}
DEFAULT_METRIC = "organisations"
# Whatever a browser (or someone crafting a callback) sends is checked against these before it reaches a query.
MAX_ID = 2**63 - 1  # PostgreSQL bigint
MAX_CODE_LENGTH = 60
MAX_PCODE_LENGTH = 20
YEARS = (1900, 2100)


@dataclass(frozen=True)
class Filters:
    """What every view is filtered by. A period (year_from, year_to) keeps the interventions active in it."""

    level: int = DEFAULT_LEVEL
    metric: str = DEFAULT_METRIC
    themes: tuple[str, ...] = ()
    network: int | None = None
    funder: int | None = None
    year_from: int | None = None
    year_to: int | None = None


def _integer(value, low: int = 1, high: int = MAX_ID) -> int | None:
    """An integer between low and high from a control's value or the address ("12" or 12), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not (value.isascii() and value.isdigit() and len(value) <= 19):
            return None
        value = int(value)
    if not isinstance(value, int):
        return None
    return value if low <= value <= high else None


def _codes(values, known: Collection[str] | None = None) -> tuple[str, ...]:
    """Theme codes from a list (or a comma-separated text): strings of a sensible length, without NUL, known
    (when the known codes are given), each once."""
    if isinstance(values, str):
        values = values.split(",")
    if not isinstance(values, list | tuple):
        return ()
    codes = (v.strip() for v in values if isinstance(v, str))
    return tuple(dict.fromkeys(c for c in codes if c and len(c) <= MAX_CODE_LENGTH and "\x00" not in c
                               and (known is None or c in known)))


def _level(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value in LEVELS else DEFAULT_LEVEL


def _metric(value) -> str:
    return value if isinstance(value, str) and value in METRICS else DEFAULT_METRIC


def from_query(search: str | None) -> Filters:
    """Filters from a query string ("?niveau=3&themes=vbg" or without "?"); unknown or invalid values are ignored."""
    search = search if isinstance(search, str) else ""
    params = {key: values[-1] for key, values in parse_qs(search.lstrip("?")).items()}
    year_from, year_to = _integer(params.get("de"), *YEARS), _integer(params.get("a"), *YEARS)
    if year_from and year_to and year_from > year_to:
        year_from, year_to = year_to, year_from
    return Filters(
        level=_level(_integer(params.get("niveau"), 0, 9)),
        metric=_metric(params.get("mesure")),
        themes=_codes(params.get("themes") or ""),
        network=_integer(params.get("reseau")),
        funder=_integer(params.get("bailleur")),
        year_from=year_from,
        year_to=year_to,
    )


def to_query(filters: Filters) -> str:
    """The query string (with "?", or "" for the defaults) that from_query reads back as the same filters."""
    params = {}
    if filters.level != DEFAULT_LEVEL:
        params["niveau"] = filters.level
    if filters.metric != DEFAULT_METRIC:
        params["mesure"] = filters.metric
    if filters.themes:
        params["themes"] = ",".join(filters.themes)
    if filters.network:
        params["reseau"] = filters.network
    if filters.funder:
        params["bailleur"] = filters.funder
    if filters.year_from:
        params["de"] = filters.year_from
    if filters.year_to:
        params["a"] = filters.year_to
    return "?" + urlencode(params, safe=",") if params else ""


def period_bounds(value) -> tuple[int, int] | None:
    """The period slider's bounds as stored in the page ([low, high] years), or None when they make no sense."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    low, high = _integer(value[0], *YEARS), _integer(value[1], *YEARS)
    return (low, high) if low is not None and high is not None and low <= high else None


def from_controls(*, level, metric, themes, network, funder, period, bounds,
                  known_themes: Collection[str] | None = None) -> Filters:
    """Filters from the values of the filter controls. A period slider left at its full range means no period.

    The values come from the browser and may be anything: what is not a valid choice (unknown theme codes when
    known_themes is given, a network that is not an id, a period outside the bounds) is left out, never raised.
    """
    year_from = year_to = None
    bounds = period_bounds(bounds)
    if bounds and isinstance(period, list | tuple) and len(period) == 2:
        low, high = (_integer(year, *bounds) for year in period)
        if low is not None and high is not None and low <= high and (low, high) != bounds:
            year_from, year_to = low, high
    return Filters(
        level=_level(level),
        metric=_metric(metric),
        themes=_codes(themes or (), known_themes),
        network=_integer(network),
        funder=_integer(funder),
        year_from=year_from,
        year_to=year_to,
    )


def period_value(filters: Filters, bounds: tuple[int, int]) -> list[int]:
    """The period slider's value for these filters: their period clipped to the bounds, or the full range."""
    low, high = bounds
    start = min(max(filters.year_from or low, low), high)
    end = max(min(filters.year_to or high, high), start)
    return [start, end]


def clicked_pcode(click) -> str | None:
    """The P-code of the unit clicked on a map (a Plotly clickData), or None for anything else."""
    points = click.get("points") if isinstance(click, dict) else None
    point = points[0] if isinstance(points, list) and points else None
    location = point.get("location") if isinstance(point, dict) else None
    if isinstance(location, str) and 0 < len(location) <= MAX_PCODE_LENGTH and "\x00" not in location:
        return location
    return None
