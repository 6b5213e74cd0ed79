"""The only door of dashboards/ to geo_backend: who is asking, the reference layers, the filters' options and the
measures as DataFrames. The pages import this package and nothing of geo_backend; this package calls only
geo_backend's selectors and access rules, never a model (tests/test_house_rules.py checks both).

- audience.py: the session's person and Audience, the language, the CSRF token, database connections per request;
- layers.py: editions, web geometries and neighbours of the boundary levels (read once per process);
- options.py: the filters' option lists and the labels of codes (the same selectors as the site's map);
- measures.py: coverage, gaps, overlaps and roll-up frames, computed by the analytics selectors for the audience.
"""
from .audience import (
    audience_from_cookies,
    csrf_token,
    database_request_started,
    language_from_cookies,
    person_from_cookies,
)
from .layers import Geometry, ancestors, boundaries_loaded, edition, geometry, units_frame, wound_for_d3
from .measures import (
    COVERAGE_COLUMNS,
    NO_FUNDER,
    OVERLAPS,
    ROLLUPS,
    Selection,
    coverage_by_year_frame,
    coverage_frame,
    funder_frame,
    funder_themes_frame,
    gaps_frame,
    member_themes_frame,
    network_rollup_frame,
    one_question,
    organisations_by_unit,
    overlaps_frames,
    selection,
    unit_interventions_frame,
)
from .options import domain_labels, funder_options, network_options, theme_labels, theme_options, year_bounds


def clear_caches() -> None:
    """Forget the geometries, neighbours and measures read so far (after loading boundaries, and between tests)."""
    from . import layers

    layers._geometry.cache_clear()
    layers._neighbours.cache_clear()
    OVERLAPS.clear()
    ROLLUPS.clear()


__all__ = [
    "COVERAGE_COLUMNS", "NO_FUNDER", "OVERLAPS", "ROLLUPS", "Geometry", "Selection", "ancestors", "boundaries_loaded",
    "audience_from_cookies", "clear_caches", "coverage_by_year_frame", "coverage_frame", "csrf_token",
    "database_request_started", "domain_labels", "edition", "funder_frame", "funder_options", "funder_themes_frame",
    "gaps_frame", "geometry", "language_from_cookies", "member_themes_frame", "network_options",
    "network_rollup_frame", "one_question",
    "organisations_by_unit", "overlaps_frames", "person_from_cookies", "selection",
    "theme_labels", "theme_options", "unit_interventions_frame", "units_frame", "wound_for_d3", "year_bounds",
]
