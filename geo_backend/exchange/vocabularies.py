"""The lists a program building an import (a KoBo form, a spreadsheet template) needs, each as rows with their HXL
hashtags: themes with their DAC/IATI codes, kinds of action, target groups, funders, organisation types and the
admin units with their P-codes in both schemes."""
from django.db import connection

from etl.hxl import admin_tag
from geo_backend.organisations.models import Organisation
from geo_backend.regions.models import Edition
from geo_backend.taxonomy.models import ActionKind, Funder, TargetGroup, Theme

LABELLED = [("code", "Code", None), ("label_fr", "Libellé", None), ("label_en", "Label (English)", None)]


def themes() -> tuple[list, list[dict]]:
    columns = [("code", "Code", "#sector+code"), ("label_fr", "Libellé", "#sector+name"),
               ("label_en", "Label (English)", None), ("parent", "Domaine parent", None),
               ("dac_codes", "Codes CAD OCDE / IATI", None)]
    rows = [{"code": t.code, "label_fr": t.label_fr, "label_en": t.label_en,
             "parent": t.parent.code if t.parent else None, "dac_codes": list(t.dac_codes)}
            for t in Theme.objects.filter(is_active=True).select_related("parent").order_by("position", "code")]
    rows.sort(key=lambda r: (r["parent"] or r["code"], r["parent"] is not None))
    return columns, rows


def labelled(model) -> tuple[list, list[dict]]:
    return LABELLED, [{"code": e.code, "label_fr": e.label_fr, "label_en": e.label_en}
                      for e in model.objects.filter(is_active=True)]


def funders() -> tuple[list, list[dict]]:
    columns = [("id", "Identifiant", None), ("name", "Nom", "#org+funder+name"),
               ("acronym", "Sigle", "#org+funder+acronym"), ("is_demo", "Exemple fictif", None)]
    return columns, list(Funder.objects.order_by("name").values("id", "name", "acronym", "is_demo"))


def organisation_types() -> tuple[list, list[dict]]:
    columns = [*LABELLED[:2], ("ocha_type", "Type OCHA (3W)", "#org+type")]
    return columns, [{"code": kind.value, "label_fr": str(kind.label), "ocha_type": Organisation.OCHA_TYPES[kind]}
                     for kind in Organisation.Kind]


def admin_units(edition: Edition, level: int | None) -> tuple[list, list[dict]]:
    """Units with their parent and their code in the older alphabetical scheme (hdx2017) where it differs."""
    tag = (lambda what: admin_tag(level, what)) if level is not None else (lambda what: None)
    columns = [("pcode", f"P-code ({edition.pcode_scheme})", tag("code")), ("name", "Nom", tag("name")),
               ("level", "Niveau", None),
               ("parent_pcode", "P-code parent", admin_tag(level - 1, "code") if level else None),
               ("hdx2017", "P-code ancien schéma (hdx2017)", None)]
    clauses, params = ["u.edition_id = %s", "u.level > 0"], [edition.id]
    if level is not None:
        clauses.append("u.level = %s")
        params.append(level)
    with connection.cursor() as cursor:
        cursor.execute(f"""
            SELECT u.pcode, u.name, u.level, p.pcode,
                   (SELECT string_agg(a.pcode, '; ' ORDER BY a.pcode) FROM regions_pcodealias a
                    WHERE a.unit_id = u.id AND a.scheme = 'hdx2017')
            FROM regions_adminunit u LEFT JOIN regions_adminunit p ON p.id = u.parent_id
            WHERE {' AND '.join(clauses)} ORDER BY u.level, u.pcode""", params)
        keys = [c[0] for c in columns]
        return columns, [dict(zip(keys, record, strict=True)) for record in cursor.fetchall()]


VOCABULARIES = {
    "themes": lambda **_: themes(),
    "action-kinds": lambda **_: labelled(ActionKind),
    "target-groups": lambda **_: labelled(TargetGroup),
    "funders": lambda **_: funders(),
    "organisation-types": lambda **_: organisation_types(),
    "admin-units": lambda *, edition, level: admin_units(edition, level),
}
