"""The dashboard's filters and their place in the URL query string. Pure: no Django, no Dash.

The query string is the state: a page reads it on load and the browser rewrites it (history.replaceState, see
URL_WRITER in app.py, which mirrors to_query) on every filter change, so a copied link reopens the same view.
Keys are French, like the site's addresses: ?niveau=3&mesure=femmes&themes=vbg,acces-justice&reseau=4&de=2020&a=2024
"""
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


def _integer(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def from_query(search: str | None) -> Filters:
    """Filters from a query string ("?niveau=3&themes=vbg" or without "?"); unknown or invalid values are ignored."""
    params = {key: values[-1] for key, values in parse_qs((search or "").lstrip("?")).items()}
    level = _integer(params.get("niveau"))
    metric = params.get("mesure")
    themes = tuple(code for code in (params.get("themes") or "").split(",") if code.strip())
    year_from, year_to = _integer(params.get("de")), _integer(params.get("a"))
    if year_from and year_to and year_from > year_to:
        year_from, year_to = year_to, year_from
    return Filters(
        level=level if level in LEVELS else DEFAULT_LEVEL,
        metric=metric if metric in METRICS else DEFAULT_METRIC,
        themes=tuple(code.strip() for code in themes),
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


def from_controls(*, level, metric, themes, network, funder, period, bounds: tuple[int, int]) -> Filters:
    """Filters from the values of the filter controls. A period slider left at its full range means no period."""
    year_from = year_to = None
    if period and len(period) == 2:
        low, high = int(period[0]), int(period[1])
        if (low, high) != tuple(bounds):
            year_from, year_to = low, high
    return Filters(
        level=int(level) if level in LEVELS else DEFAULT_LEVEL,
        metric=metric if metric in METRICS else DEFAULT_METRIC,
        themes=tuple(themes or ()),
        network=int(network) if network else None,
        funder=int(funder) if funder else None,
        year_from=year_from,
        year_to=year_to,
    )


def period_value(filters: Filters, bounds: tuple[int, int]) -> list[int]:
    """The period slider's value for these filters: their period clipped to the bounds, or the full range."""
    low, high = bounds
    start = min(max(filters.year_from or low, low), high)
    end = max(min(filters.year_to or high, high), start)
    return [start, end]
