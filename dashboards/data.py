"""The only module of dashboards/ that touches geo_backend: who is asking, and selector answers as DataFrames.

Every number comes from the analytics selectors (geo_backend/analytics/selectors.py), computed for the audience of
the person asking (organisations/access.py): visitors get the public-only numbers, coordinators and donors the full
ones. Aggregates (counts by theme, funder, gender marker) are taken over the interventions the analytics selectors
selected, so they follow the same rule. Lists of records (who works in a unit, possible partners) go through
interventions_visible, the records rule: nobody reads a record here that the site would not show them.

Map geometries are the web geometries of the boundaries (regions/selectors.areas_feature_collection), read once
per process and level, and served by app.py at a fingerprinted address that browsers cache for a year.
"""
import dataclasses
import datetime as dt
import functools
import hashlib
from collections.abc import Mapping
from importlib import import_module

import pandas as pd

from .cache import RecentCache
from .state import Filters

COVERAGE_COLUMNS = ["pcode", "name", "level", "area_km2", "covered_km2", "women", "women_covered", "population",
                    "population_covered", "organisations", "interventions", "coverage_share", "women_share_covered",
                    "women_per_organisation"]
NO_FUNDER = 0  # funder id of the interventions that name no funder, in the funder frames
# Neighbours are units whose web geometries come within this distance (degrees, about 200 m): simplification
# leaves thin slivers between some neighbours.


# --- Who is asking, in which language ----------------------------------------------------------------------


def _user(cookies: Mapping[str, str]):
    """The Django user of the session these cookies carry (AnonymousUser without a valid one)."""
    from django.conf import settings
    from django.contrib.auth import get_user
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    session_key = cookies.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return AnonymousUser()
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    return get_user(request)


def audience_from_cookies(cookies: Mapping[str, str]):
    """The Audience of the person whose browser sent these cookies: Django's session decides, as on the site."""
    from geo_backend.organisations.access import audience_for

    return audience_for(_user(cookies))


def person_from_cookies(cookies: Mapping[str, str]) -> tuple[str | None, object]:
    """The signed-in person's user name (None for a visitor) and Audience."""
    from geo_backend.organisations.access import audience_for

    user = _user(cookies)
    return (user.get_username() if user.is_authenticated else None), audience_for(user)


def language_from_cookies(cookies: Mapping[str, str]) -> str:
    """The language chosen with the site's switch (Django's language cookie); French otherwise."""
    from django.conf import settings

    code = cookies.get(settings.LANGUAGE_COOKIE_NAME) or ""
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def csrf_token(cookies: Mapping[str, str]) -> tuple[str, str | None]:
    """A CSRF token for the language form (which posts to the site's /i18n/setlang/), and the new secret to set as
    the CSRF cookie when the browser has none yet (else None)."""
    from django.conf import settings
    from django.http import HttpRequest
    from django.middleware.csrf import get_token

    request = HttpRequest()
    secret = cookies.get(settings.CSRF_COOKIE_NAME) or ""
    if len(secret) == 32 and secret.isalnum():
        request.META["CSRF_COOKIE"] = secret
        return get_token(request), None
    token = get_token(request)
    return token, request.META["CSRF_COOKIE"]


def database_request_started() -> None:
    """Dash requests bypass Django's request cycle: close connections that are broken or past CONN_MAX_AGE, as
    Django's close_old_connections does at the start and end of each of its requests (but never one inside a
    transaction, which only happens when tests call the app in theirs)."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


# --- Reference: edition, geometries, filter options --------------------------------------------------------


def edition(slug: str | None = None):
    """The edition named by slug, or the default one."""
    from geo_backend.regions.selectors import edition_resolve

    return edition_resolve(slug)


@dataclasses.dataclass(frozen=True)
class Geometry:
    """The web geometries of one level of an edition, as served (GeoJSON text) and as a dict."""

    text: str
    collection: dict
    digest: str


def _signed_area(ring: list) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_a), (x1, y1, *_b) in zip(ring, ring[1:], strict=False)) / 2


def wound_for_d3(collection: dict) -> dict:
    """Pure: the collection with every exterior ring clockwise and every hole counter-clockwise, as Plotly's maps
    (d3-geo, on the sphere) read them. A ring the other way round is taken as its complement: the rest of the
    globe, painted over the whole map. The web geometries come with either orientation (RFC 7946 asks for the
    opposite one), so they are rewound here, in place; coordinates are unchanged."""
    for feature in collection["features"]:
        geometry = feature.get("geometry") or {}
        if geometry.get("type") == "Polygon":
            polygons = [geometry["coordinates"]]
        elif geometry.get("type") == "MultiPolygon":
            polygons = geometry["coordinates"]
        else:
            continue
        for rings in polygons:
            for index, ring in enumerate(rings):
                exterior = index == 0
                if (_signed_area(ring) > 0) == exterior:  # counter-clockwise exterior, or clockwise hole
                    ring.reverse()
    return collection


@functools.lru_cache(maxsize=16)
def _geometry(edition_id: int, level: int) -> Geometry:
    import json

    from geo_backend.regions.models import Edition
    from geo_backend.regions.selectors import areas_feature_collection

    collection = wound_for_d3(json.loads(areas_feature_collection(edition=Edition.objects.get(pk=edition_id),
                                                                  level=level)))
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
    return Geometry(text=text, collection=collection, digest=hashlib.sha256(text.encode()).hexdigest()[:16])


def geometry(level: int, *, edition_slug: str | None = None) -> Geometry:
    """The web GeoJSON of a level (read once per process: boundaries change only with a new load)."""
    return _geometry(edition(edition_slug).id, level)


def clear_caches() -> None:
    """Forget the geometries and neighbours read so far (after loading boundaries, and between tests)."""
    _geometry.cache_clear()
    _neighbours.cache_clear()
    OVERLAPS.clear()
    ROLLUPS.clear()


def units_frame(level: int, *, edition_slug: str | None = None) -> pd.DataFrame:
    """The units of a level: pcode, name, parent P-code and name, women (2017)."""
    collection = geometry(level, edition_slug=edition_slug).collection
    frame = pd.DataFrame([f["properties"] for f in collection["features"]],
                         columns=["pcode", "name", "level", "parent_pcode", "women_2017"])
    if level > 1:
        parents = geometry(level - 1, edition_slug=edition_slug).collection["features"]
        names = {f["properties"]["pcode"]: f["properties"]["name"] for f in parents}
        frame["parent_name"] = frame["parent_pcode"].map(names)
    else:
        frame["parent_name"] = None
    return frame.sort_values("pcode").reset_index(drop=True)


@functools.lru_cache(maxsize=16)
def _neighbours(edition_id: int, level: int) -> dict[str, list[str]]:
    """Touching units, from PostGIS (boundaries change only with a new load, so read once per process)."""
    from geo_backend.regions.models import Edition
    from geo_backend.regions.selectors import unit_neighbours

    return unit_neighbours(edition=Edition.objects.get(pk=edition_id), level=level)


def theme_options() -> list[dict]:
    """Active themes, domains first then their sub-domains, labelled in the active language."""
    from geo_backend.taxonomy.models import Theme

    themes = list(Theme.objects.filter(is_active=True).select_related("parent").order_by("position", "code"))
    options = []
    for domain in (t for t in themes if t.parent_id is None):
        options.append({"label": domain.label, "value": domain.code})
        options += [{"label": f"{domain.label} › {child.label}", "value": child.code}
                    for child in themes if child.parent_id == domain.id]
    return options


def theme_labels() -> dict[str, str]:
    """Theme code -> label in the active language (domains and sub-domains)."""
    from geo_backend.taxonomy.models import Theme

    return {theme.code: theme.label for theme in Theme.objects.all()}


def domain_labels() -> dict[str, str]:
    """Theme domain code -> label in the active language, in the taxonomy's order."""
    from geo_backend.taxonomy.models import Theme

    domains = Theme.objects.filter(parent__isnull=True).order_by("position", "code")
    return {theme.code: theme.label for theme in domains}


def network_options() -> list[dict]:
    """Active platforms, alliances and networks."""
    from geo_backend.organisations.selectors import networks_listed

    return [{"label": name, "value": pk} for pk, name in networks_listed().values_list("id", "name")]


def funder_options() -> list[dict]:
    from geo_backend.taxonomy.models import Funder

    return [{"label": name, "value": pk} for pk, name in Funder.objects.order_by("name").values_list("id", "name")]


def year_bounds(today: dt.date | None = None) -> tuple[int, int]:
    """The years the period slider offers: from the earliest start to the latest end of the validated
    interventions, within 2012 (the mobilisation the platform documents) and three years from now."""
    from geo_backend.zones.selectors import validated_interventions_dates

    this_year = (today or dt.date.today()).year
    first_start, last_start, last_end = validated_interventions_dates()
    first = first_start.year if first_start else this_year - 5
    last = max([d.year for d in (last_start, last_end) if d] or [this_year])
    low = min(max(first, 2012), this_year)
    high = max(min(last, this_year + 3), this_year)
    return low, high


# --- Measures ------------------------------------------------------------------------------------------------


def _intervention_filters(filters: Filters, **changes):
    from geo_backend.zones.selectors import InterventionFilters

    values = {
        "themes": list(filters.themes) or None,
        "network": filters.network,
        "funder": filters.funder,
        "active_from": dt.date(filters.year_from, 1, 1) if filters.year_from else None,
        "active_to": dt.date(filters.year_to, 12, 31) if filters.year_to else None,
    }
    values.update(changes)
    return InterventionFilters(**values)


def _query(filters: Filters, *, edition_slug: str | None = None, level: int | None = None, **changes):
    from geo_backend.analytics.selectors import CoverageQuery

    return CoverageQuery(edition=edition(edition_slug), level=filters.level if level is None else level,
                         filters=_intervention_filters(filters, **changes))


def coverage_frame(audience, filters: Filters, *, edition_slug: str | None = None) -> pd.DataFrame:
    """Per unit of the filters' level: organisations, interventions, women (2017), women covered and shares."""
    from geo_backend.analytics.selectors import coverage_by_unit

    rows = coverage_by_unit(audience, _query(filters, edition_slug=edition_slug))
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


@dataclasses.dataclass(frozen=True)
class Selection:
    """What the analytics selectors count for an audience and filters: the interventions and organisations."""

    intervention_ids: frozenset
    organisation_ids: frozenset
    has_demo: bool

    @property
    def interventions(self) -> int:
        return len(self.intervention_ids)

    @property
    def organisations(self) -> int:
        return len(self.organisation_ids)


def selection(audience, filters: Filters, *, edition_slug: str | None = None) -> Selection:
    """The interventions the measures count (validated, visible to the analytics of this audience), and whether
    any of them is demo data (then the page says so)."""
    from geo_backend.analytics.selectors import selected_zones
    from geo_backend.zones.models import Intervention

    selected = selected_zones(audience, _query(filters, edition_slug=edition_slug))
    ids = frozenset(selected["intervention_ids"])
    has_demo = bool(ids) and Intervention.objects.filter(id__in=ids, is_demo=True).exists()
    return Selection(ids, frozenset(selected["organisation_ids"]), has_demo)


def unit_interventions_frame(audience, filters: Filters, pcode: str) -> pd.DataFrame:
    """Who works in a unit, on what, since when: the validated interventions visible to this person (records
    rule) with a zone touching the unit, for the filters."""
    from geo_backend.zones.selectors import interventions_visible

    labels = theme_labels()
    queryset = (interventions_visible(audience, _intervention_filters(filters, area=pcode,
                                                                      validation_state="validated"))
                .select_related("organisation").prefetch_related("themes")
                .order_by("organisation__name", "start_date", "id"))
    rows = [{
        "organisation": i.organisation.name,
        "title": i.title,
        "themes": ", ".join(sorted(labels.get(t.code, t.code) for t in i.themes.all())),
        "start_date": i.start_date,
        "end_date": i.end_date,
        "status": str(i.get_status_display()),
        "is_demo": i.is_demo,
    } for i in queryset[:200]]
    return pd.DataFrame(rows, columns=["organisation", "title", "themes", "start_date", "end_date", "status",
                                       "is_demo"])


def organisations_by_unit(audience, filters: Filters, level: int) -> dict[str, list[str]]:
    """For each unit of the level, the organisations with a visible validated intervention (for the filters)
    whose zone touches it (records rule)."""
    from geo_backend.zones.selectors import interventions_visible

    path = "zones__commune_shares__commune" + "__parent" * (3 - level) + "__pcode"
    rows = (interventions_visible(audience, _intervention_filters(filters, validation_state="validated"))
            .order_by().values_list(path, "organisation__name").distinct())
    found: dict[str, set] = {}
    for pcode, name in rows:
        if pcode:
            found.setdefault(pcode, set()).add(name)
    return {pcode: sorted(names) for pcode, names in found.items()}


def gaps_frame(audience, filters: Filters, *, edition_slug: str | None = None, max_partners: int = 6
               ) -> pd.DataFrame:
    """The units without any coverage for the filters, most women first, with the organisations working on the
    same filters (themes…) in neighbouring units, suggested as possible partners."""
    from geo_backend.analytics.selectors import gaps

    query = _query(filters, edition_slug=edition_slug)
    rows = gaps(audience, query)
    units = units_frame(filters.level, edition_slug=edition_slug).set_index("pcode")
    neighbours = _neighbours(query.edition.id, filters.level)
    presence = organisations_by_unit(audience, filters, filters.level) if rows else {}
    records = []
    for rank, row in enumerate(rows, start=1):
        nearby = [n for n in neighbours.get(row["pcode"], []) if n in presence]
        partners = sorted({name for n in nearby for name in presence[n]})
        records.append({
            "rank": rank,
            "pcode": row["pcode"],
            "name": row["name"],
            "parent_name": units["parent_name"].get(row["pcode"]),
            "women_uncovered": row["women"] - row["women_covered"],
            "partners": ", ".join(partners[:max_partners]) + (" …" if len(partners) > max_partners else ""),
            "partner_units": ", ".join(units["name"].get(n, n) for n in nearby),
        })
    return pd.DataFrame(records, columns=["rank", "pcode", "name", "parent_name", "women_uncovered", "partners",
                                          "partner_units"])


# The overlaps selector takes seconds on 2,000 zones: its answer (for communes) is kept a few minutes per audience
# and filters, and summed up to cercles and regions here, so that changing the level costs nothing.
OVERLAPS = RecentCache(size=32, seconds=300)


def _partnerships_stamp() -> tuple:
    """Changes whenever a partnership is accepted or ended, so that a cached overlap report never shows a stale
    "coordinated" column."""
    from geo_backend.collaboration.selectors.partnerships import partnerships_stamp

    return partnerships_stamp()


def _overlap_report(audience, filters: Filters, edition_slug: str | None) -> dict:
    from geo_backend.analytics.selectors import overlaps

    key = (audience, dataclasses.replace(filters, level=3, metric=""), edition_slug, _partnerships_stamp())
    return OVERLAPS.get(key, lambda: overlaps(audience, _query(filters, edition_slug=edition_slug, level=3)))


def ancestors(level: int, *, edition_slug: str | None = None) -> dict[str, tuple[str, str]]:
    """Commune P-code -> (P-code, name) of the unit of the level that contains it."""
    units = {lv: units_frame(lv, edition_slug=edition_slug).set_index("pcode") for lv in range(level, 4)}
    parents = {lv: units[lv]["parent_pcode"].to_dict() for lv in units}
    names = units[level]["name"].to_dict()
    found = {}
    for commune in units[3].index:
        pcode = commune
        for lv in range(3, level, -1):
            pcode = parents[lv][pcode]
        found[commune] = (pcode, names[pcode])
    return found


def overlaps_frames(audience, filters: Filters, *, edition_slug: str | None = None,
                    uncoordinated_only: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Possible duplication: (pairs of interventions of different organisations on a common theme and period
    whose zones intersect, per unit of the level: pairs, shared km² and women). A pair is "coordinated" when the
    two organisations' accepted partnerships cover all its communes; uncoordinated_only keeps, of each pair, only
    the communes where it is not (what a coordinator has to act on), and drops the pairs left with none."""
    labels = theme_labels()
    report = _overlap_report(audience, filters, edition_slug)
    unit_of = ancestors(filters.level, edition_slug=edition_slug)
    pairs, per_unit = [], {}
    for index, pair in enumerate(report["pairs"]):
        first, second = pair["interventions"]
        period = pair["shared_period"]
        communes = [c for c in pair["units"] if not (uncoordinated_only and c["coordinated"])]
        if not communes:
            continue
        names = []
        for commune in communes:
            pcode, name = unit_of.get(commune["pcode"], (commune["pcode"], commune["name"]))
            if name not in names:
                names.append(name)
            entry = per_unit.setdefault(pcode, {"pcode": pcode, "name": name, "pairs": set(), "shared_km2": 0.0,
                                                "women_shared": 0.0})
            entry["pairs"].add(index)
            entry["shared_km2"] += commune["shared_km2"]
            entry["women_shared"] += commune["women_shared"]
        pairs.append({
            "organisation_a": first["organisation"]["name"], "intervention_a": first["title"],
            "organisation_b": second["organisation"]["name"], "intervention_b": second["title"],
            "themes": ", ".join(labels.get(code, code) for code in pair["themes"]),
            "period_start": period["start"], "period_end": period["end"],
            "shared_km2": sum(c["shared_km2"] for c in communes),
            "women_shared": sum(c["women_shared"] for c in communes), "units": ", ".join(names),
            "coordinated": all(c["coordinated"] for c in communes),
            "propose_url": _partnership_proposal_url(audience, first, second, pair["themes"], communes),
        })
    pair_columns = ["organisation_a", "intervention_a", "organisation_b", "intervention_b", "themes",
                    "period_start", "period_end", "shared_km2", "women_shared", "units", "coordinated",
                    "propose_url"]
    by_unit = pd.DataFrame([{**entry, "pairs": len(entry["pairs"])} for entry in per_unit.values()],
                           columns=["pcode", "name", "pairs", "shared_km2", "women_shared"])
    by_unit = by_unit.sort_values("shared_km2", ascending=False, kind="stable").reset_index(drop=True)
    return pd.DataFrame(pairs, columns=pair_columns), by_unit


def _partnership_proposal_url(audience, first: dict, second: dict, themes: list[str], communes: list[dict]) -> str:
    """For an editor of one of the two organisations: the site's partnership proposal, prefilled with the other
    organisation, the communes and the themes of the overlap ("" for anyone else)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from geo_backend.organisations.access import can_propose_partnership

    ids = [first["organisation"]["id"], second["organisation"]["id"]]
    mine = [i for i in ids if can_propose_partnership(audience, proposer_id=i)]
    if not mine:
        return ""
    proposer = mine[0]
    partner = ids[1] if proposer == ids[0] else ids[0]
    query = urlencode({"organisation": proposer, "partenaire": partner, "themes": ",".join(themes),
                       "communes": ",".join(c["pcode"] for c in communes)}, safe=",")
    return f"{reverse('collaboration:partnership-propose')}?{query}"


def _themes_of(intervention_ids) -> pd.DataFrame:
    """(intervention, domain) for the given interventions: a sub-domain counts for its domain."""
    from geo_backend.zones.models import Intervention

    rows = (Intervention.objects.filter(id__in=intervention_ids).order_by()
            .values_list("id", "organisation_id", "themes__code", "themes__parent__code"))
    frame = pd.DataFrame(list(rows), columns=["intervention", "organisation", "code", "parent"])
    frame["domain"] = frame["parent"].fillna(frame["code"])
    return frame.drop(columns=["code", "parent"]).dropna(subset=["domain"]).drop_duplicates()


# National roll-ups run one coverage query per network, funder or year (some 200 ms each over every intervention):
# kept two minutes per audience and filters, so that coming back to a view or a filter costs nothing.
ROLLUPS = RecentCache(size=128, seconds=120)


def _rollup(audience, filters: Filters, edition_slug: str | None, by: str) -> list[dict]:
    from geo_backend.analytics.rollups import coverage_rollup

    key = (by, audience, dataclasses.replace(filters, level=0, metric=""), edition_slug)
    return ROLLUPS.get(key, lambda: coverage_rollup(audience, _query(filters, edition_slug=edition_slug, level=0),
                                                    by=by))


def network_rollup_frame(audience, filters: Filters, *, edition_slug: str | None = None) -> pd.DataFrame:
    """Per network (or only the chosen one): its members' interventions together, over the whole country."""

    rows = _rollup(audience, filters, edition_slug, "network")
    frame = pd.DataFrame([{"network_id": r["network"]["id"], "network": r["network"]["name"],
                           **{k: v for k, v in r.items() if k != "network"}} for r in rows],
                         columns=["network_id", "network", "organisations", "interventions", "covered_km2",
                                  "coverage_share", "women_covered", "women_share_covered", "population_covered"])
    if filters.network:
        frame = frame[frame["network_id"] == filters.network]
    return frame.reset_index(drop=True)


def member_themes_frame(audience, filters: Filters, *, edition_slug: str | None = None) -> pd.DataFrame:
    """Per network and accepted member: the number of interventions on each theme domain (analytics rule)."""
    from geo_backend.organisations.selectors import memberships_listed

    members = memberships_listed(network=filters.network)
    links = pd.DataFrame(list(members.values_list("network_id", "network__name", "member_id", "member__name")),
                         columns=["network_id", "network", "organisation", "member"])
    chosen = selection(audience, dataclasses.replace(filters, network=None), edition_slug=edition_slug)
    themes = _themes_of(chosen.intervention_ids)
    counts = (themes.groupby(["organisation", "domain"])["intervention"].nunique().rename("interventions")
              .reset_index())
    frame = links.merge(counts, on="organisation", how="left")
    frame["interventions"] = frame["interventions"].fillna(0).astype(int)
    return frame[["network_id", "network", "member", "domain", "interventions"]].reset_index(drop=True)


def funder_frame(audience, filters: Filters, *, edition_slug: str | None = None) -> pd.DataFrame:
    """Per funder: coverage over the country (its interventions together) and the gender-marker split."""
    from geo_backend.zones.models import Intervention

    rows = _rollup(audience, filters, edition_slug, "funder")
    frame = pd.DataFrame([{"funder_id": r["funder"]["id"], "funder": r["funder"]["name"],
                           **{k: v for k, v in r.items() if k != "funder"}} for r in rows],
                         columns=["funder_id", "funder", "organisations", "interventions", "covered_km2",
                                  "coverage_share", "women_covered", "women_share_covered", "population_covered"])
    if filters.funder:
        frame = frame[frame["funder_id"] == filters.funder]
    chosen = selection(audience, filters, edition_slug=edition_slug)
    markers = pd.DataFrame(list(Intervention.objects.filter(id__in=chosen.intervention_ids).order_by()
                                .values_list("id", "funders__id", "gender_marker")),
                           columns=["intervention", "funder_id", "gender_marker"])
    split = (markers.assign(marker=markers["gender_marker"].map(lambda m: f"marker_{int(m)}" if pd.notna(m)
                                                                  else "marker_none"))
             .groupby(["funder_id", "marker"])["intervention"].nunique().unstack(fill_value=0))
    for column in ("marker_2", "marker_1", "marker_0", "marker_none"):
        if column not in split:
            split[column] = 0
    frame = frame.merge(split[["marker_2", "marker_1", "marker_0", "marker_none"]], left_on="funder_id",
                        right_index=True, how="left")
    for column in ("marker_2", "marker_1", "marker_0", "marker_none"):
        frame[column] = frame[column].fillna(0).astype(int)
    return frame.reset_index(drop=True)


def funder_themes_frame(audience, filters: Filters, *, edition_slug: str | None = None) -> pd.DataFrame:
    """Per funder (or "no funder", id 0) and theme domain: the interventions counted by the analytics."""
    from geo_backend.taxonomy.models import Funder
    from geo_backend.zones.models import Intervention

    chosen = selection(audience, filters, edition_slug=edition_slug)
    themes = _themes_of(chosen.intervention_ids)
    funded = pd.DataFrame(list(Intervention.objects.filter(id__in=chosen.intervention_ids).order_by()
                               .values_list("id", "funders__id")), columns=["intervention", "funder_id"])
    funded["funder_id"] = funded["funder_id"].fillna(NO_FUNDER).astype(int)
    names = dict(Funder.objects.values_list("id", "name"))
    frame = themes.merge(funded, on="intervention")
    frame = frame.groupby(["funder_id", "domain"])["intervention"].nunique().rename("interventions").reset_index()
    frame["funder"] = frame["funder_id"].map(lambda pk: names.get(pk))
    return frame[["funder_id", "funder", "domain", "interventions"]]


def coverage_by_year_frame(audience, filters: Filters, years: list[int], *, edition_slug: str | None = None
                           ) -> pd.DataFrame:
    """For each year: the country's women covered by the interventions active in it (for the other filters); every
    year measured by one statement (analytics/rollups.py)."""
    from geo_backend.analytics.rollups import coverage_by_year

    key = ("years", tuple(years), audience, dataclasses.replace(filters, level=0, metric=""), edition_slug)
    by_year = ROLLUPS.get(key, lambda: coverage_by_year(audience, _query(filters, edition_slug=edition_slug,
                                                                         level=0), years))
    rows = [{"year": year, **{k: by_year[year][k] for k in ("organisations", "interventions", "women",
                                                             "women_covered", "women_share_covered")}}
            for year in years]
    return pd.DataFrame(rows, columns=["year", "organisations", "interventions", "women", "women_covered",
                                       "women_share_covered"])
