"""The reference lists an import matches against, read from the database as plain DataFrames and lookups for
etl.matching (which knows nothing of Django). Built once per edition and kept while the reference is unchanged."""
import threading

import pandas as pd
from django.db import connection
from rapidfuzz import fuzz, process

from etl.columns import normalise_header
from etl.matching import PlaceMatcher
from etl.names import normalise_name
from geo_backend.organisations.access import Audience
from geo_backend.organisations.selectors import organisations_visible
from geo_backend.regions.models import Edition
from geo_backend.taxonomy.models import ActionKind, Funder, TargetGroup, Theme

_lock = threading.Lock()
_matchers: dict[tuple, PlaceMatcher] = {}


def _reference_version(edition: Edition) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT (SELECT count(*) FROM regions_adminunit WHERE edition_id = %(e)s),
                      (SELECT max(updated_at) FROM regions_adminunit WHERE edition_id = %(e)s),
                      (SELECT count(*) FROM regions_pcodealias WHERE edition_id = %(e)s),
                      (SELECT count(*) FROM regions_locality WHERE edition_id = %(e)s)""",
            {"e": edition.id})
        return (edition.id, *cursor.fetchone())


def reference_frames(edition: Edition) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Units (levels 1-3), older-scheme aliases and localities of an edition, as DataFrames."""
    with connection.cursor() as cursor:
        cursor.execute("""SELECT u.pcode, u.name, u.level, p.pcode, u.alt_names FROM regions_adminunit u
                          LEFT JOIN regions_adminunit p ON p.id = u.parent_id
                          WHERE u.edition_id = %s AND u.level BETWEEN 1 AND 3""", [edition.id])
        units = pd.DataFrame(cursor.fetchall(), columns=["pcode", "name", "level", "parent_pcode", "alt_names"])
        cursor.execute("""SELECT a.scheme, a.pcode, u.pcode FROM regions_pcodealias a
                          JOIN regions_adminunit u ON u.id = a.unit_id WHERE a.edition_id = %s""", [edition.id])
        aliases = pd.DataFrame(cursor.fetchall(), columns=["scheme", "pcode", "unit_pcode"])
        cursor.execute("""SELECT l.pcode, l.name, c.pcode, l.alt_names FROM regions_locality l
                          LEFT JOIN regions_adminunit c ON c.id = l.commune_id WHERE l.edition_id = %s""",
                       [edition.id])
        localities = pd.DataFrame(cursor.fetchall(), columns=["pcode", "name", "commune_pcode", "alt_names"])
    units["parent_pcode"] = units["parent_pcode"].astype(object).where(units["parent_pcode"].notna(), None)
    return units, aliases, localities


def place_matcher(edition: Edition) -> PlaceMatcher:
    """The matcher of an edition (built in about a second, then reused until the reference data changes)."""
    version = _reference_version(edition)
    with _lock:
        matcher = _matchers.get(version)
        if matcher is None:
            units, aliases, localities = reference_frames(edition)
            matcher = PlaceMatcher(units, aliases=aliases, localities=localities, scheme=edition.pcode_scheme)
            _matchers.clear()
            _matchers[version] = matcher
        return matcher


class Vocabulary:
    """Codes of themes, kinds of action, target groups and funders, found by code, label (French or English),
    DAC/IATI code or acronym, accent- and case-insensitively."""

    def __init__(self):
        self.themes = self._labelled(Theme.objects.all(), with_dac=True)
        self.theme_parents = dict(Theme.objects.filter(parent__isnull=False).values_list("code", "parent__code"))
        self.action_kinds = self._labelled(ActionKind.objects.all())
        self.target_groups = self._labelled(TargetGroup.objects.all())
        self.funders: dict[str, int] = {}
        for funder in Funder.objects.all():
            for key in (funder.name, funder.acronym):
                if key:
                    self.funders.setdefault(normalise_header(key), funder.id)

    @staticmethod
    def _labelled(queryset, with_dac: bool = False) -> dict[str, str]:
        lookup: dict[str, str] = {}
        domains_first = sorted(queryset, key=lambda e: (getattr(e, "parent_id", None) is not None, e.position))
        for entry in domains_first:
            keys = [entry.code, entry.label_fr, entry.label_en]
            # "Violences basées sur le genre (VBG)" is also written "VBG".
            keys += [part.strip("() ") for label in (entry.label_fr, entry.label_en) for part in label.split("(")[1:]]
            # ... and "Accès à la justice, assistance juridique" is written "Accès à la justice".
            keys += [label.split(",")[0].split("(")[0] for label in (entry.label_fr, entry.label_en)]
            if with_dac:
                keys += list(entry.dac_codes)  # a DAC code shared by a domain and its sub-domains means the domain
            for key in keys:
                if key:
                    lookup.setdefault(normalise_header(key), entry.code)
        return lookup

    def code(self, kind: str, value: str) -> str | int | None:
        """The code (or funder id) a value names: exactly, else a close spelling (typos, missing words)."""
        lookup = getattr(self, kind)
        key = normalise_header(value)
        if key in lookup:
            return lookup[key]
        best = process.extractOne(key, list(lookup), scorer=fuzz.ratio, score_cutoff=90)
        return lookup[best[0]] if best else None


def organisation_lookup(audience: Audience) -> dict[str, list[int]]:
    """The organisations this audience sees (organisations.selectors), by normalised name, acronym and slug (a
    key may name several: the import then asks)."""
    lookup: dict[str, list[int]] = {}
    for org_id, name, acronym, slug in organisations_visible(audience).exclude(status="archived").values_list(
            "id", "name", "acronym", "slug"):
        for key in {normalise_name(name), normalise_name(acronym or ""), normalise_name(slug.replace("-", " "))}:
            if key:
                lookup.setdefault(key, []).append(org_id)
    return lookup


def matched_unit_pcodes(edition: Edition, text: str, level: int | None = None) -> list[str]:
    """For the site's search and the zone picker: the units the import's matcher finds for a typed name."""
    return place_matcher(edition).search(text, level)


def matched_locality_pcodes(edition: Edition, text: str, limit: int = 20) -> list[str]:
    return place_matcher(edition).search_localities(text, limit)
