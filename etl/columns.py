"""Which column of an import table holds which field: from HXL hashtags first, then from common French and
English headers. A person confirms or corrects the result; the confirmed mapping is saved per organisation.
"""
import re
import unicodedata

# The fields an import understands, with what a person sees in the mapping form.
FIELDS = {
    "external_id": "Identifiant de la ligne / row id",
    "organisation": "Organisation (nom) / organisation name",
    "organisation_acronym": "Sigle / acronym",
    "title": "Intitulé de l'intervention / title",
    "description": "Description",
    "themes": "Thèmes / themes",
    "subthemes": "Sous-thèmes / sub-themes",
    "theme_codes": "Codes exacts des thèmes (export Musoya) / exact theme codes",
    "action_kinds": "Types d'action / kinds of action",
    "target_groups": "Groupes cibles / target groups",
    "funders": "Bailleurs / funders",
    "start_date": "Début / start date",
    "end_date": "Fin / end date",
    "status": "Statut / status",
    "sensitivity": "Sensibilité / sensitivity",
    "women_targeted": "Femmes ciblées / women targeted",
    "women_reached": "Femmes atteintes / women reached",
    "gender_marker": "Marqueur genre CAD (0, 1, 2) / DAC gender marker",
    "region": "Région (nom) / region name",
    "region_pcode": "Région (P-code)",
    "cercle": "Cercle (nom) / cercle name",
    "cercle_pcode": "Cercle (P-code)",
    "commune": "Commune (nom) / commune name",
    "commune_pcode": "Commune (P-code)",
    "locality": "Localité (nom) / locality name",
    "locality_pcode": "Localité (P-code)",
    "pcode": "P-code (tout niveau) / P-code (any level)",
    "pcode_scheme": "Schéma des P-codes / P-code scheme",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "radius_km": "Rayon (km) / radius (km)",
    "geometry": "Zone (WKT ou GeoJSON) / zone (WKT or GeoJSON)",
}

# HXL hashtag (without attributes in another order: see _hxl_field) -> field.
HXL_FIELDS = {
    "#meta+id": "external_id", "#activity+code": "external_id", "#activity+id": "external_id",
    "#org+name": "organisation", "#org": "organisation", "#org+impl+name": "organisation",
    "#org+impl": "organisation", "#org+acronym": "organisation_acronym", "#org+impl+acronym": "organisation_acronym",
    "#activity+name": "title", "#activity": "title", "#description": "description",
    "#sector": "themes", "#sector+code": "themes", "#sector+name": "themes",
    "#subsector": "subthemes", "#subsector+code": "subthemes", "#subsector+name": "subthemes",
    "#org+funder": "funders", "#org+funder+name": "funders",
    "#date+start": "start_date", "#date+end": "end_date", "#status": "status",
    "#targeted+f": "women_targeted", "#reached+f": "women_reached",
    "#adm1+name": "region", "#adm1": "region", "#adm1+code": "region_pcode",
    "#adm2+name": "cercle", "#adm2": "cercle", "#adm2+code": "cercle_pcode",
    "#adm3+name": "commune", "#adm3": "commune", "#adm3+code": "commune_pcode",
    "#loc+name": "locality", "#loc": "locality", "#loc+code": "locality_pcode",
    "#geo+lat": "latitude", "#geo+lon": "longitude",
}

# Normalised headers (lower case, no accents, words separated by one space) -> field.
HEADER_FIELDS = {
    "external_id": ["id", "identifiant", "code activite", "activity id", "activity code", "_uuid", "uuid", "ref",
                    "reference", "source id", "external id", "code intervention", "id intervention"],
    "organisation": ["organisation", "organization", "org", "nom organisation", "nom de l organisation",
                     "organisation name", "organization name", "structure", "partenaire de mise en oeuvre",
                     "implementing partner", "acteur", "ong", "association", "nom de la structure"],
    "organisation_acronym": ["sigle", "acronyme", "acronym", "organisation acronym", "sigle organisation"],
    "title": ["titre", "intitule", "intervention", "activite", "activity", "projet", "project", "title",
              "nom du projet", "nom de l activite", "activity name", "intitule de l intervention"],
    "description": ["description", "details", "commentaire", "commentaires", "remarques", "notes"],
    "themes": ["theme", "themes", "domaine", "domaines", "secteur", "sector", "domaine d intervention",
               "thematique", "thematiques"],
    "theme_codes": ["codes des themes", "theme codes", "codes themes"],
    "subthemes": ["sous theme", "sous themes", "sous domaine", "sous secteur", "subsector", "sub sector",
                  "sub theme", "subthemes"],
    "action_kinds": ["type d action", "types d action", "type action", "action", "actions", "kind of action",
                     "action type", "type d activite", "modalite"],
    "target_groups": ["groupe cible", "groupes cibles", "cible", "cibles", "target group", "target groups",
                      "beneficiaires", "public cible"],
    "funders": ["bailleur", "bailleurs", "financement", "financeur", "donor", "donors", "funder", "funders",
                "partenaire financier", "bailleur de fonds"],
    "start_date": ["debut", "date de debut", "date debut", "start", "start date", "date start", "du"],
    "end_date": ["fin", "date de fin", "date fin", "end", "end date", "date end", "au"],
    "status": ["statut", "etat", "status", "etat d avancement"],
    "sensitivity": ["sensibilite", "sensitivity", "confidentialite", "visibilite"],
    "women_targeted": ["femmes ciblees", "nombre de femmes ciblees", "women targeted", "cible femmes",
                       "targeted f", "beneficiaires femmes ciblees"],
    "gender_marker": ["marqueur genre", "marqueur genre cad", "gender marker", "dac gender marker",
                      "marqueur egalite femmes hommes", "marqueur cad genre"],
    "women_reached": ["femmes atteintes", "nombre de femmes atteintes", "women reached", "femmes touchees",
                      "reached f", "beneficiaires femmes atteintes"],
    "region": ["region", "nom region", "region name", "admin1", "adm1", "adm1 name", "admin1name", "adm1 fr"],
    "region_pcode": ["pcode region", "code region", "region pcode", "adm1 pcode", "admin1pcod", "adm1 code",
                     "admin1 pcode"],
    "cercle": ["cercle", "nom cercle", "cercle name", "district", "admin2", "adm2", "adm2 name", "admin2name",
               "adm2 fr", "prefecture"],
    "cercle_pcode": ["pcode cercle", "code cercle", "cercle pcode", "adm2 pcode", "admin2pcod", "adm2 code",
                     "admin2 pcode"],
    "commune": ["commune", "nom commune", "commune name", "admin3", "adm3", "adm3 name", "admin3name", "adm3 fr",
                "municipality"],
    "commune_pcode": ["pcode commune", "code commune", "commune pcode", "adm3 pcode", "admin3pcod", "adm3 code",
                      "admin3 pcode"],
    "locality": ["localite", "village", "localites", "lieu", "locality", "location", "site", "quartier",
                 "village quartier", "nom localite"],
    "locality_pcode": ["pcode localite", "code localite", "locality pcode", "code village", "pcode village"],
    "pcode": ["pcode", "p code", "code admin", "code geographique", "admin pcode"],
    "pcode_scheme": ["schema pcode", "schema", "pcode scheme", "scheme"],
    "latitude": ["latitude", "lat", "y", "gps latitude", "_gps_latitude", "coordonnees latitude"],
    "longitude": ["longitude", "lon", "long", "lng", "x", "gps longitude", "_gps_longitude",
                  "coordonnees longitude"],
    "radius_km": ["rayon", "rayon km", "radius", "radius km"],
    "geometry": ["geometrie", "geometry", "wkt", "geojson", "zone", "forme", "polygone", "shape"],
}
_HEADER_LOOKUP = {header: field for field, headers in HEADER_FIELDS.items() for header in headers}


def normalise_header(text: str) -> str:
    """"Date de début (jj/mm/aaaa)" -> "date de debut": lower case, no accents, no bracketed note."""
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", str(text))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def _hxl_field(tag: str) -> str | None:
    """The field of a hashtag, whatever the order of its attributes (+code+adm2 = +adm2+code) and ignoring
    language attributes (+i_fr)."""
    hashtag, *attributes = tag.split("+")
    attributes = sorted(a for a in attributes if a and not a.startswith("i_"))
    for known, field in HXL_FIELDS.items():
        known_tag, *known_attributes = known.split("+")
        if known_tag == hashtag and sorted(known_attributes) == attributes:
            return field
    return None


def recognise_columns(columns: list[str], hxl: dict[str, str] | None = None, *,
                      ignore: frozenset | set = frozenset()) -> dict[str, str]:
    """The field -> column mapping found automatically: HXL hashtags first, then headers. A field is given to
    one column only (the first that claims it); columns in ignore (KoBoToolbox's own "start", "end"… which
    say when the form was filled in, not when the intervention runs) are never claimed."""
    mapping: dict[str, str] = {}
    taken: set[str] = set(ignore) - {"_uuid"}
    if "_uuid" in columns:  # KoBoToolbox's stable key of a submission (its "_id" changes between servers)
        mapping["external_id"] = "_uuid"
        taken.add("_uuid")
    for column in columns:
        tag = (hxl or {}).get(column)
        field = _hxl_field(tag) if tag else None
        if field and field not in mapping:
            mapping[field] = column
            taken.add(column)
    for column in columns:
        if column in taken:
            continue
        field = _HEADER_LOOKUP.get(normalise_header(column))
        if field and field not in mapping:
            mapping[field] = column
            taken.add(column)
    return mapping


def check_mapping(mapping: dict[str, str], columns: list[str]) -> list[str]:
    """Problems with a mapping (unknown field, missing column, nothing to say who or where), as messages."""
    problems = []
    for field, column in mapping.items():
        if field not in FIELDS:
            problems.append(f"champ inconnu « {field} » / unknown field '{field}'")
        elif column not in columns:
            problems.append(f"colonne absente « {column} » / missing column '{column}'")
    if "organisation" not in mapping and "organisation_acronym" not in mapping:
        problems.append("aucune colonne pour l'organisation / no column for the organisation")
    places = {"region", "region_pcode", "cercle", "cercle_pcode", "commune", "commune_pcode", "locality",
              "locality_pcode", "pcode", "geometry", "latitude"}
    if not places & set(mapping):
        problems.append("aucune colonne de lieu / no column for the place")
    return problems
