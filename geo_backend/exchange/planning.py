"""What an import would do, row by row, without writing anything: the plan a dry run shows and a real run carries
out. Rows are read with etl (values, places); organisations, vocabularies and earlier imports come from the
database. Rows of one intervention (a 3W table has one row per intervention and place) are grouped by a stable
key: the row's own identifier when the file has one, else its organisation, title, dates and themes.
"""
import hashlib
import json
import re
from dataclasses import dataclass, field

from rapidfuzz import process

from etl.matching import ACCEPT, PlaceMatcher
from etl.names import normalise_name
from etl.tables import Table
from etl.values_fr import parse_count, parse_date, split_list
from geo_backend.common.limits import DESCRIPTION_MAX_LENGTH
from geo_backend.organisations.access import (
    Audience,
    can_edit_intervention,
    declaring_network_for_import,
    importable_organisation_ids,
)
from geo_backend.organisations.models import Organisation
from geo_backend.organisations.selectors import organisations_visible
from geo_backend.zones.models import MAX_PEOPLE, Intervention, ZoneCommune

from .geometry import row_geometry
from .models import ImportedIntervention
from .reference import Vocabulary, organisation_lookup

STATUS_WORDS = {
    "planned": ["prevue", "prevu", "planifiee", "planifie", "a venir", "planned", "pipeline", "en preparation"],
    "ongoing": ["en cours", "ongoing", "active", "actif", "en execution", "in progress", "encours"],
    "completed": ["terminee", "termine", "achevee", "acheve", "cloturee", "finie", "completed", "closed", "done",
                  "finished"],
}
SENSITIVITY_WORDS = {
    "public": ["public", "publique", "exacte"],
    "coarse": ["coarse", "approximative", "approximatif", "communes", "grossiere"],
    "restricted": ["restricted", "restreinte", "restreint", "confidentiel", "confidentielle", "prive", "privee"],
}
_WORDS = {(kind, word): value for kind, table in (("status", STATUS_WORDS), ("sensitivity", SENSITIVITY_WORDS))
          for value, words in table.items() for word in words}


@dataclass
class Problem:
    severity: str  # error (blocks the real run) or warning
    code: str
    message: str  # French / English in one line, as the rest of the import report
    candidates: list = field(default_factory=list)

    def as_dict(self) -> dict:
        body = {"severity": self.severity, "code": self.code, "message": self.message}
        if self.candidates:
            body["candidates"] = self.candidates
        return body


@dataclass
class RowPlan:
    line: int
    key: str | None = None
    organisation_id: int | None = None
    place: dict | None = None
    problems: list[Problem] = field(default_factory=list)

    def error(self, code: str, message: str, candidates=None):
        self.problems.append(Problem("error", code, message, candidates or []))

    def warn(self, code: str, message: str):
        self.problems.append(Problem("warning", code, message))

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


@dataclass
class InterventionPlan:
    key: str
    organisation_id: int
    declared_by_network_id: int | None
    fields: dict
    relations: dict  # themes, action_kinds, target_groups: codes; funders: ids
    units: list[str] = field(default_factory=list)  # picked admin units (P-codes of the edition)
    geometries: list[dict] = field(default_factory=list)  # drawn zones (GeoJSON)
    lines: list[int] = field(default_factory=list)
    action: str = "create"  # create, update, unchanged
    existing_id: int | None = None
    content_hash: str = ""


@dataclass
class ImportPlan:
    rows: list[RowPlan]
    interventions: list[InterventionPlan]
    mapping: dict
    scheme: str

    @property
    def error_count(self) -> int:
        return sum(row.has_errors for row in self.rows)

    def counts(self) -> dict:
        counts = {"rows": len(self.rows), "errors": self.error_count, "create": 0, "update": 0, "unchanged": 0}
        for item in self.interventions:
            counts[item.action] += 1
        return counts

    def as_dict(self) -> dict:
        by_line = {line: item for item in self.interventions for line in item.lines}
        return {
            "counts": self.counts(), "mapping": self.mapping, "scheme": self.scheme,
            "rows": [{"line": row.line, "action": by_line[row.line].action if row.line in by_line else "error",
                      "intervention": by_line[row.line].existing_id if row.line in by_line else None,
                      "place": row.place, "problems": [p.as_dict() for p in row.problems]} for row in self.rows],
        }


def _hash(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


class RowReader:
    """Turns one row's cells into intervention fields, relations and a place, noting every problem."""

    def __init__(self, *, audience: Audience, matcher: PlaceMatcher, default_organisation: Organisation | None,
                 scheme: str | None, default_scheme: str):
        self.audience = audience
        self.matcher = matcher
        self.default_organisation = default_organisation
        self.scheme = scheme
        self.default_scheme = default_scheme
        self.vocabulary = Vocabulary()
        self.organisations = organisation_lookup(audience)
        self.allowed = importable_organisation_ids(audience)
        self.names = dict(organisations_visible(audience).values_list("id", "name"))

    def organisation(self, values: dict, row: RowPlan) -> int | None:
        given = values.get("organisation") or values.get("organisation_acronym")
        if not given:
            if self.default_organisation is None:
                row.error("organisation_missing", "organisation manquante / organisation missing")
                return None
            found = [self.default_organisation.id]
        else:
            found = self.organisations.get(normalise_name(given), [])
            if not found and values.get("organisation_acronym"):
                found = self.organisations.get(normalise_name(values["organisation_acronym"]), [])
        if len(found) != 1:
            keys = list(self.organisations)
            best = process.extract(normalise_name(given or ""), keys, limit=3, score_cutoff=60)
            candidates = [{"id": i, "name": self.names.get(i)} for key, _s, _ in best for i in self.organisations[key]]
            code = "organisation_ambiguous" if found else "organisation_unknown"
            row.error(code, f"organisation « {given} » inconnue ou ambiguë / unknown or ambiguous organisation",
                      candidates[:5])
            return None
        if self.allowed is not None and found[0] not in self.allowed:
            row.error("organisation_not_allowed", f"vous ne pouvez pas importer pour « {given} » / you cannot "
                      "import for this organisation")
            return None
        return found[0]

    def codes(self, kind: str, values: list[str], row: RowPlan, *, required: bool = False) -> list:
        found, unknown = [], []
        for value in values:
            code = self.vocabulary.code(kind, value)
            if code is None and " " in value:
                # KoBoToolbox writes a multiple choice as its codes separated by spaces ("vbg acces-justice").
                parts = [self.vocabulary.code(kind, part) for part in value.split()]
                if all(part is not None for part in parts):
                    found.extend(parts)
                    continue
            (found if code is not None else unknown).append(code if code is not None else value)
        if unknown:
            message = f"{kind} inconnu(s) / unknown: {', '.join(unknown)}"
            row.error(f"{kind}_unknown", message) if required else row.warn(f"{kind}_unknown", message)
        return sorted(set(found), key=str)

    def word(self, kind: str, value: str | None, row: RowPlan, default: str | None) -> str | None:
        if not value:
            return default
        found = _WORDS.get((kind, normalise_name(value)))
        if found is None:
            row.warn(f"{kind}_unknown", f"{kind} « {value} » inconnu, « {default} » retenu / unknown, {default} used")
            return default
        return found

    def themes(self, values: dict, row: RowPlan) -> list[str]:
        """The exact theme codes when the file has them (a Musoya export), else the domains and sub-domains
        listed, where a domain listed beside one of its own sub-domains only says where the sub-domain belongs."""
        if values.get("theme_codes"):
            return self.codes("themes", split_list(values["theme_codes"]), row, required=True)
        domains = self.codes("themes", split_list(values.get("themes")), row, required=True)
        subthemes = self.codes("themes", split_list(values.get("subthemes")), row, required=True)
        parents = {self.vocabulary.theme_parents.get(code) for code in subthemes}
        return sorted(set(subthemes) | {code for code in domains if code not in parents})

    def read(self, values: dict, row: RowPlan) -> tuple[dict, dict, dict]:
        """Identity, fields and relations of a row. Only the fields the file has are set, so that an update
        never blanks what the file does not speak of (values holds the mapped fields only)."""
        organisation_id = self.organisation(values, row)
        themes = self.themes(values, row)
        if not themes and not row.has_errors:
            row.error("themes_required", "aucun thème / no theme")
        fields: dict = {}
        for name, end in (("start_date", False), ("end_date", True)):
            try:
                if name in values:
                    fields[name] = parse_date(values[name], end_of_period=end)
            except ValueError as error:
                row.error("date_invalid", str(error))
        if fields.get("start_date") and fields.get("end_date") and fields["end_date"] < fields["start_date"]:
            row.error("dates_inverted", "la fin précède le début / the end is before the start")
        for name in ("women_targeted", "women_reached"):
            try:
                if name in values:
                    fields[name] = parse_count(values[name])
                    if (fields[name] or 0) > MAX_PEOPLE:
                        raise ValueError(f"effectif trop grand « {values[name]} » / count too large")
            except ValueError as error:
                row.error("count_invalid", str(error))
        if "status" in values:
            fields["status"] = self.word("status", values["status"], row, "ongoing")
        if "sensitivity" in values:
            sensitivity = self.word("sensitivity", values["sensitivity"], row, None)
            if sensitivity:
                fields["sensitivity"] = sensitivity
        if "description" in values:
            fields["description"] = values["description"] or ""
            if len(fields["description"]) > DESCRIPTION_MAX_LENGTH:
                row.error("description_too_long", f"description de plus de {DESCRIPTION_MAX_LENGTH} caractères / "
                                                  f"description over {DESCRIPTION_MAX_LENGTH} characters")
        if "gender_marker" in values:
            try:
                marker = parse_count(values["gender_marker"])
                if marker is not None and marker > 2:
                    raise ValueError(f"marqueur genre 0, 1 ou 2, pas « {values['gender_marker']} » / gender marker "
                                     "0, 1 or 2")
                fields["gender_marker"] = marker
            except ValueError as error:
                row.error("gender_marker_invalid", str(error))
        relations = {"themes": themes}
        for kind in ("action_kinds", "target_groups", "funders"):
            if kind in values:
                relations[kind] = self.codes(kind, split_list(values[kind]), row)
        place = self.place(values, row)
        title = (values.get("title") or "").strip()
        if not title:
            labels = ", ".join(themes) or "?"
            title = f"{labels} – {place.get('label') or ''}".strip(" –")
            row.warn("title_made", f"intitulé absent : « {title[:80]} » / no title, made from the themes and place")
        fields["title"] = title[:200]
        return ({"organisation_id": organisation_id, "external_id": values.get("external_id")}, fields,
                {"relations": relations, **place})

    def place(self, values: dict, row: RowPlan) -> dict:
        try:
            geometry = row_geometry(values)
        except ValueError as error:
            row.error("geometry_invalid", str(error))
            return {}
        if geometry is not None:
            row.place = {"status": "matched", "method": "geometry", "confidence": 1.0}
            return {"geometry": geometry, "label": values.get("locality") or values.get("commune") or ""}
        query = {k: values.get(k) for k in ("region", "region_pcode", "cercle", "cercle_pcode", "commune",
                                             "commune_pcode", "locality", "locality_pcode", "pcode")}
        scheme = self.scheme or _scheme_of(values.get("pcode_scheme"))
        match = self.matcher.match_row(query, scheme=scheme, default_scheme=self.default_scheme)
        row.place = match.as_dict()
        if match.status == "empty":
            row.error("place_missing", "aucun lieu / no place")
        elif match.status != "matched" or match.confidence < ACCEPT:
            code = "place_ambiguous" if match.status == "ambiguous" else "place_unmatched"
            row.error(code, "; ".join(match.notes) or "lieu non reconnu / place not recognised",
                      [c.as_dict() for c in match.candidates])
        else:
            unit = self.matcher.units[match.unit_pcode]
            return {"unit": match.unit_pcode, "label": unit["name"]}
        return {}


def _scheme_of(value: str | None) -> str | None:
    if not value:
        return None
    text = normalise_name(value).replace(" ", "")
    if "2017" in text or "hdx" in text or "alpha" in text or "ancien" in text or "old" in text:
        return "hdx2017"
    if "2015" in text or "cod" in text:
        return "cod2015"
    return None


def plan_import(table: Table, mapping: dict, *, audience: Audience, matcher: PlaceMatcher,
                default_organisation: Organisation | None = None, scheme: str | None = None) -> ImportPlan:
    """The plan of an import: every row read and matched, rows grouped into interventions, each marked create,
    update or unchanged against earlier imports. Reads only."""
    frame = table.frame
    rows_values = [{f: frame.iat[i, frame.columns.get_loc(c)] for f, c in mapping.items()} for i in range(len(frame))]
    default_scheme = scheme or matcher.detect_scheme(rows_values)
    reader = RowReader(audience=audience, matcher=matcher, default_organisation=default_organisation,
                       scheme=scheme, default_scheme=default_scheme)
    rows, groups, seen_rows = [], {}, {}
    for position, values in enumerate(rows_values):
        row = RowPlan(line=table.line_of(position))
        rows.append(row)
        identity, fields, relations = reader.read(values, row)
        fingerprint = _hash(values)
        if fingerprint in seen_rows:
            row.warn("duplicate_row", f"ligne identique à la ligne {seen_rows[fingerprint]} / same as line "
                     f"{seen_rows[fingerprint]}")
        seen_rows.setdefault(fingerprint, row.line)
        if row.has_errors:
            continue
        organisation_id = identity["organisation_id"]
        key = (f"id:{identity['external_id']}" if identity["external_id"] else
               "row:" + _hash([organisation_id, normalise_name(fields["title"]), fields.get("start_date"),
                               fields.get("end_date"), relations["relations"]["themes"]])[:40])
        row.key, row.organisation_id = key, organisation_id
        group = groups.get((organisation_id, key))
        if group is None:
            group = groups[(organisation_id, key)] = InterventionPlan(
                key=key, organisation_id=organisation_id,
                declared_by_network_id=declaring_network_for_import(audience, organisation_id), fields=fields,
                relations=relations["relations"])
        elif group.fields != fields:
            row.warn("group_fields_differ", "même intervention que la ligne {0} avec d'autres valeurs : celles de la "
                     "ligne {0} sont gardées / same intervention as line {0} with other values: line {0}'s "
                     "kept".format(group.lines[0]))
        group.lines.append(row.line)
        if relations.get("unit") and relations["unit"] not in group.units:
            group.units.append(relations["unit"])
        if relations.get("geometry") and relations["geometry"] not in group.geometries:
            group.geometries.append(relations["geometry"])
    interventions = list(groups.values())
    _compare_with_earlier_imports(interventions)
    _compare_with_exported(interventions, audience)
    return ImportPlan(rows=rows, interventions=interventions, mapping=mapping, scheme=default_scheme)


def _compare_with_earlier_imports(interventions: list[InterventionPlan]) -> None:
    keys = {(item.organisation_id, item.key) for item in interventions}
    earlier = {(e.organisation_id, e.source_key): e for e in ImportedIntervention.objects.filter(
        organisation_id__in={k[0] for k in keys}, source_key__in={k[1] for k in keys})}
    for item in interventions:
        item.units.sort()
        item.content_hash = _hash([item.fields, item.relations, item.units, item.geometries,
                                   item.declared_by_network_id])
        previous = earlier.get((item.organisation_id, item.key))
        if previous is not None:
            item.existing_id = previous.intervention_id
            item.action = "unchanged" if previous.content_hash == item.content_hash else "update"


EXPORTED_ID = re.compile(r"^id:musoya-(\d+)$")


def _compare_with_exported(interventions: list[InterventionPlan], audience: Audience) -> None:
    """Rows of a Musoya export ("musoya-<id>") are that intervention again: unchanged when the file says what
    the database holds (same fields, relations and communes), an update otherwise; never a copy."""
    wanted = {int(m.group(1)): item for item in interventions
              if item.existing_id is None and (m := EXPORTED_ID.match(item.key))}
    found = Intervention.objects.filter(pk__in=wanted).prefetch_related(
        "themes", "action_kinds", "target_groups", "funders")
    for current in found:
        item = wanted[current.pk]
        if current.organisation_id != item.organisation_id or not can_edit_intervention(
                audience, organisation_id=current.organisation_id,
                declared_by_network_id=current.declared_by_network_id):
            continue
        item.existing_id = current.pk
        held = {
            "fields": {name: getattr(current, name) for name in item.fields},
            "relations": {kind: sorted((getattr(r, "code", None) or r.id for r in getattr(current, kind).all()),
                                       key=str) for kind in item.relations},
            "units": sorted(ZoneCommune.objects.filter(zone__intervention=current)
                            .values_list("commune__pcode", flat=True).distinct()),
        }
        said = {"fields": item.fields, "relations": item.relations, "units": item.units}
        item.action = "unchanged" if held == said and not item.geometries else "update"
