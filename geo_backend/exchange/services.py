"""Imports of interventions from spreadsheets and KoBo exports.

A dry run reads, matches and reports, and writes nothing. A real run refuses a file with any error, then writes
every intervention and zone through the zones services in ONE transaction (all or nothing), records the run with
its file's sha256 (also in the change history's context), and remembers which intervention each source key became,
so that importing the same file again changes nothing.
"""
import hashlib

import pghistory
from django.db import transaction

from etl.columns import FIELDS, check_mapping, recognise_columns
from etl.errors import EtlError
from etl.tables import KOBO_META, read_table
from geo_backend.analytics.services import coverage_atoms_deferred
from geo_backend.common.errors import DomainError
from geo_backend.organisations.access import Audience, importable_organisation_ids, require_importer
from geo_backend.organisations.models import Organisation
from geo_backend.regions.selectors import edition_resolve
from geo_backend.taxonomy.models import ActionKind, Funder, TargetGroup, Theme
from geo_backend.zones import services as zone_services
from geo_backend.zones.models import Intervention

from .models import ColumnMapping, ImportedIntervention, ImportRun
from .planning import ImportPlan, InterventionPlan, plan_import
from .reference import place_matcher


def columns_signature(columns: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(columns)).encode()).hexdigest()


def _default_organisation(audience: Audience, organisation_id: int | None) -> Organisation | None:
    if organisation_id is None:
        return None
    allowed = importable_organisation_ids(audience)
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or (allowed is not None and organisation.id not in allowed):
        raise DomainError("organisation_not_allowed", "Vous ne pouvez pas importer pour cette organisation.",
                          "You cannot import for this organisation.", status_code=403)
    return organisation


def _mapping_owner(audience: Audience, default: Organisation | None) -> int | None:
    """Whose saved mappings apply: the import's organisation, else the one organisation the person edits."""
    if default is not None:
        return default.id
    return next(iter(audience.editor_of)) if len(audience.editor_of) == 1 else None


def resolve_mapping(columns: list[str], hxl: dict, *, given: dict | None, owner_id: int | None,
                    has_default_organisation: bool, kobo: bool = False) -> tuple[dict, str]:
    """The field -> column mapping to use and where it came from (given, saved, recognised)."""
    if given:
        mapping, source = {f: c for f, c in given.items() if c}, "given"
    else:
        saved = ColumnMapping.objects.filter(organisation_id=owner_id, columns_signature=columns_signature(columns)
                                             ).first() if owner_id else None
        mapping, source = (dict(saved.mapping), "saved") if saved else (
            recognise_columns(columns, hxl, ignore=KOBO_META if kobo else frozenset()), "recognised")
    problems = [p for p in check_mapping(mapping, columns)
                if not (has_default_organisation and "organisation" in p and "colonne absente" not in p)]
    if problems:
        raise DomainError("mapping_incomplete", "Indiquez quelle colonne contient quoi : " + " ; ".join(problems),
                          "Say which column holds what: " + "; ".join(problems),
                          details={"columns": columns, "mapping": mapping, "fields": FIELDS, "problems": problems})
    return mapping, source


def import_file(*, audience: Audience, data: bytes, filename: str, mapping: dict | None = None,
                organisation_id: int | None = None, scheme: str | None = None, edition_slug: str | None = None,
                dry_run: bool = True, submit: bool = False) -> dict:
    """Reads a file and reports per row what would be created, updated or left unchanged and every problem; with
    dry_run false, carries it out (all or nothing). Returns the report."""
    require_importer(audience)
    default = _default_organisation(audience, organisation_id)
    try:
        table = read_table(data, filename)
    except EtlError as error:
        raise DomainError(error.code, error.message_fr, error.message_en) from error
    columns = list(table.frame.columns)
    mapping, mapping_source = resolve_mapping(columns, table.hxl, given=mapping,
                                              owner_id=_mapping_owner(audience, default),
                                              has_default_organisation=default is not None,
                                              kobo=table.source_format == "kobo")
    edition = edition_resolve(edition_slug)
    plan = plan_import(table, mapping, audience=audience, matcher=place_matcher(edition),
                       default_organisation=default, scheme=scheme)
    sha256 = hashlib.sha256(data).hexdigest()
    report = {"filename": filename, "sha256": sha256, "dry_run": dry_run, "format": table.source_format,
              "encoding": table.encoding, "separator": table.separator, "columns": columns, "hxl": table.hxl,
              "mapping_source": mapping_source, "edition": edition.slug, **plan.as_dict()}
    if dry_run:
        return report
    if plan.error_count:
        raise DomainError("import_has_errors",
                          f"{plan.error_count} ligne(s) à corriger : rien n'a été importé.",
                          f"{plan.error_count} row(s) to correct: nothing was imported.", details=report)
    run = _carry_out(audience=audience, plan=plan, report=report, default=default, edition_slug=edition.slug,
                     submit=submit, save_mapping=mapping if mapping_source == "given" else None)
    report["import"] = run.id
    report["rows"] = plan.as_dict()["rows"]  # now with the ids of the interventions created
    return report


@transaction.atomic
def _carry_out(*, audience: Audience, plan: ImportPlan, report: dict, default: Organisation | None,
               edition_slug: str, submit: bool, save_mapping: dict | None) -> ImportRun:
    counts = plan.counts()
    with pghistory.context(import_file=report["filename"], import_sha256=report["sha256"]):
        run = ImportRun.objects.create(
            user_id=audience.user_id, organisation=default, filename=report["filename"][:255],
            sha256=report["sha256"], dry_run=False, rows=counts["rows"], created=counts["create"],
            updated=counts["update"], unchanged=counts["unchanged"], errors=0,
            report={k: v for k, v in report.items() if k != "rows"})
        vocab = _vocabulary_instances(plan)
        with coverage_atoms_deferred():  # each touched commune's coverage atoms rebuilt once, at the end
            _write_all(audience, plan, vocab, run, edition_slug=edition_slug, submit=submit)
        owner = _mapping_owner(audience, default)
        if save_mapping and owner:
            ColumnMapping.objects.update_or_create(
                organisation_id=owner, columns_signature=columns_signature(report["columns"]),
                defaults={"mapping": save_mapping})
    return run


def _write_all(audience: Audience, plan: ImportPlan, vocab: dict, run: ImportRun, *, edition_slug: str,
               submit: bool) -> None:
    """Every intervention to create or update, through the zones services; a refusal names its lines."""
    for item in plan.interventions:
        if item.action == "unchanged":
            continue
        try:
            intervention = _write(audience, item, vocab, edition_slug=edition_slug, submit=submit)
        except DomainError as error:
            lines = ", ".join(str(line) for line in item.lines)
            raise DomainError("import_failed", f"Ligne(s) {lines} : {error.message_fr} Rien n'a été importé.",
                              f"Line(s) {lines}: {error.message_en} Nothing was imported.",
                              details={"lines": item.lines, "cause": error.code, **error.details},
                              status_code=error.status_code if error.status_code < 500 else 400) from error
        ImportedIntervention.objects.update_or_create(
            organisation_id=item.organisation_id, source_key=item.key,
            defaults={"intervention": intervention, "content_hash": item.content_hash, "last_run": run})
        item.existing_id = intervention.id


def _vocabulary_instances(plan: ImportPlan) -> dict:
    wanted = {name: set() for name in ("themes", "action_kinds", "target_groups", "funders")}
    for item in plan.interventions:
        for name in wanted:
            wanted[name].update(item.relations.get(name, []))
    return {
        "themes": Theme.objects.in_bulk(wanted["themes"], field_name="code"),
        "action_kinds": ActionKind.objects.in_bulk(wanted["action_kinds"], field_name="code"),
        "target_groups": TargetGroup.objects.in_bulk(wanted["target_groups"], field_name="code"),
        "funders": Funder.objects.in_bulk(wanted["funders"]),
        "organisations": Organisation.objects.in_bulk({i.organisation_id for i in plan.interventions}
                                                      | {i.declared_by_network_id for i in plan.interventions
                                                         if i.declared_by_network_id}),
    }


def _write(audience: Audience, item: InterventionPlan, vocab: dict, *, edition_slug: str,
           submit: bool) -> Intervention:
    organisations = vocab["organisations"]
    fields = dict(item.fields)
    if item.declared_by_network_id:
        fields["declared_by_network"] = organisations[item.declared_by_network_id]
    relations = {name: [vocab[name][code] for code in codes] for name, codes in item.relations.items()}
    if item.action == "create":
        intervention = zone_services.intervention_create(
            audience=audience, organisation=organisations[item.organisation_id], fields=fields,
            relations=relations, submit=submit)
    else:
        intervention = Intervention.objects.get(pk=item.existing_id)
        fields.pop("declared_by_network", None)  # who declared it does not change on an update
        intervention = zone_services.intervention_update(
            audience=audience, intervention=intervention, expected_version=intervention.version, fields=fields,
            relations=relations)
        for zone in list(intervention.zones.all()):
            zone_services.zone_delete(audience=audience, zone=zone, expected_version=zone.version)
    if item.units:
        zone_services.zone_create(audience=audience, intervention=intervention, method="picked",
                                  unit_pcodes=item.units, edition_slug=edition_slug)
    for geometry in item.geometries:
        zone_services.zone_create(audience=audience, intervention=intervention, method="drawn", geometry=geometry,
                                  edition_slug=edition_slug)
    intervention.refresh_from_db()
    return intervention
