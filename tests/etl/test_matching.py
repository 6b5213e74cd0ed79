"""The layered place matcher on a small copy of Mali's real structure (no database: pytest -p no:django).

The codes are the real ones, including the two schemes' clash: ML0101 is Kayes in COD 2015 and Bafoulabé in the
older alphabetical scheme (HDX 2017).
"""
import pandas as pd
import pytest

from etl.matching import PlaceMatcher, sound_key
from etl.names import normalise_name

UNITS = [
    ("ML01", "Kayes", 1, None), ("ML04", "Segou", 1, None), ("ML09", "Bamako", 1, None),
    ("ML0101", "Kayes", 2, "ML01"), ("ML0102", "Bafoulabe", 2, "ML01"), ("ML0105", "Kita", 2, "ML01"),
    ("ML0401", "Baroueli", 2, "ML04"), ("ML0402", "Segou", 2, "ML04"), ("ML0403", "Bla", 2, "ML04"),
    ("ML0901", "Bamako", 2, "ML09"),
    ("ML010101", "Kayes Commune", 3, "ML0101"), ("ML010201", "Bafoulabe", 3, "ML0102"),
    ("ML040224", "Segou Commune", 3, "ML0402"), ("ML040216", "Markala", 3, "ML0402"),
    ("ML040207", "Dioro", 3, "ML0402"), ("ML040205", "Diedougou", 3, "ML0402"),
    ("ML040105", "Diedougou", 3, "ML0401"), ("ML040309", "Kemeni", 3, "ML0403"),
    ("ML040218", "N'koumandougou", 3, "ML0402"),
    ("ML090104", "Commune IV", 3, "ML0901"), ("ML090105", "Commune V", 3, "ML0901"),
]
ALIASES = [("hdx2017", "ML0101", "ML0102"), ("hdx2017", "ML0103", "ML0101"), ("hdx2017", "ML040626", "ML040224"),
           ("hdx2017", "ML04", "ML04"), ("hdx2017", "ML0402", "ML0403")]
LOCALITIES = [("ML040216000", "Markala", "ML040216"), ("ML040309018", "Markala", "ML040309"),
              ("ML040207010", "Dioro", "ML040207"), ("ML090105004", "Kalaban Coura", "ML090105")]


@pytest.fixture(scope="module")
def matcher() -> PlaceMatcher:
    units = pd.DataFrame(UNITS, columns=["pcode", "name", "level", "parent_pcode"])
    units["alt_names"] = [["Nkoumandougou"] if p == "ML040218" else [] for p in units.pcode]
    aliases = pd.DataFrame(ALIASES, columns=["scheme", "pcode", "unit_pcode"])
    localities = pd.DataFrame(LOCALITIES, columns=["pcode", "name", "commune_pcode"])
    localities["alt_names"] = [[] for _ in LOCALITIES]
    return PlaceMatcher(units, aliases=aliases, localities=localities)


@pytest.mark.parametrize(("place", "pcode", "method"), [
    ({"commune_pcode": "ML040224"}, "ML040224", "pcode"),
    ({"commune_pcode": "ml040626"}, "ML040224", "pcode_alias"),  # only in the older scheme
    ({"cercle": "Ségou", "commune": "Ségou"}, "ML040224", "normalised"),  # "Segou Commune" is called "Ségou"
    ({"region": "Région de Ségou", "cercle": "Cercle de Ségou", "commune": "Commune rurale de Markala"},
     "ML040216", "normalised"),
    ({"cercle": "Sɛgu"}, "ML0402", "fuzzy"),  # Bambara spelling
    ({"region": "SEGOU", "cercle": "segou", "commune": "Markalla"}, "ML040216", "fuzzy"),  # misspelt, in its parent
    ({"cercle": "Bamako", "commune": "Commune 4"}, "ML090104", "normalised"),
    ({"commune": "commune IV du district de Bamako"}, "ML090104", "normalised"),
    ({"commune": "Nkoumandougou"}, "ML040218", "normalised"),
    ({"cercle": "Bafoulabé"}, "ML0102", "normalised"),
    ({"cercle": "Kayes"}, "ML0101", "name"),
])
def test_rows_are_matched_in_layers(matcher, place, pcode, method):
    found = matcher.match_row(place)
    assert (found.status, found.unit_pcode, found.method) == ("matched", pcode, method), found
    assert found.confidence >= 0.85


def test_a_code_in_both_schemes_is_read_in_the_scheme_the_names_agree_with(matcher):
    # ML0101 with the name Bafoulabé: the older scheme's code for Bafoulabé, not COD 2015's Kayes.
    older = matcher.match_row({"cercle_pcode": "ML0101", "cercle": "Bafoulabe"})
    assert (older.unit_pcode, older.scheme, older.method) == ("ML0102", "hdx2017", "pcode_alias")
    current = matcher.match_row({"cercle_pcode": "ML0101", "cercle": "Kayes"})
    assert (current.unit_pcode, current.scheme) == ("ML0101", "cod2015")
    # Without a name the file's scheme decides, and the row says so.
    bare = matcher.match_row({"cercle_pcode": "ML0101"}, default_scheme="hdx2017")
    assert bare.unit_pcode == "ML0102" and "deux schémas" in bare.notes[0]


def test_an_explicit_scheme_wins(matcher):
    assert matcher.match_row({"pcode": "ML0402"}, scheme="hdx2017").unit_pcode == "ML0403"
    assert matcher.match_row({"pcode": "ML0402"}, scheme="cod2015").unit_pcode == "ML0402"


def test_the_file_scheme_is_detected_from_rows_with_names(matcher):
    older_rows = [{"cercle_pcode": "ML0101", "cercle": "Bafoulabé"}, {"cercle_pcode": "ML0402", "cercle": "Bla"},
                  {"cercle_pcode": "ML0101"}]
    assert matcher.detect_scheme(older_rows) == "hdx2017"
    assert matcher.detect_scheme([{"cercle_pcode": "ML0101", "cercle": "Kayes"}]) == "cod2015"


def test_homonyms_are_flagged_with_candidates_unless_the_parent_decides(matcher):
    ambiguous = matcher.match_row({"commune": "Diédougou"})
    assert ambiguous.status == "ambiguous"
    assert {c.pcode for c in ambiguous.candidates} == {"ML040205", "ML040105"}
    decided = matcher.match_row({"cercle": "Barouéli", "commune": "Diédougou"})
    assert (decided.status, decided.unit_pcode) == ("matched", "ML040105")


def test_an_unknown_place_is_flagged_with_the_best_candidates(matcher):
    found = matcher.match_row({"cercle": "Segou", "commune": "Markaza Nord"})
    assert found.status == "unmatched"
    assert found.unit_pcode is None
    assert found.candidates and found.candidates[0].pcode == "ML040216"
    assert matcher.match_row({"commune": "Zzyzx"}).status == "unmatched"


def test_a_far_fetched_name_is_not_guessed_without_a_parent(matcher):
    found = matcher.match_row({"commune": "Kati"})  # the cercle Kita exists; Kati is no commune here
    assert found.status != "matched"


def test_a_locality_leads_to_its_commune(matcher):
    found = matcher.match_row({"cercle": "Ségou", "locality": "Markala"})
    assert (found.status, found.unit_pcode, found.locality_pcode, found.method) == (
        "matched", "ML040216", "ML040216000", "locality")
    by_code = matcher.match_row({"locality_pcode": "ML090105004"})
    assert (by_code.unit_pcode, by_code.locality_pcode) == ("ML090105", "ML090105004")
    # Two villages called Markala in different cercles: the row must say which.
    assert matcher.match_row({"locality": "Markala"}).status == "ambiguous"


def test_a_commune_with_a_locality_keeps_the_locality(matcher):
    found = matcher.match_row({"commune": "Dioro", "locality": "Dioro"})
    assert (found.unit_pcode, found.locality_pcode) == ("ML040207", "ML040207010")


def test_an_unknown_code_falls_back_to_names_with_lower_confidence(matcher):
    found = matcher.match_row({"commune_pcode": "ML999999", "cercle": "Ségou", "commune": "Markala"})
    assert found.unit_pcode == "ML040216"
    assert found.confidence < 0.85 and "ML999999" in found.notes[0]


def test_a_row_without_place_is_empty(matcher):
    assert matcher.match_row({"commune": None, "cercle": "  "}).status == "empty"


@pytest.mark.parametrize(("raw", "expected"), [("Sɛgu", "segu"), ("Ɲɔgɔn", "nyogon"), ("Ŋaaba", "ngaaba"),
                                               ("Commune rurale d'Ouéléssébougou", "ouelessebougou")])
def test_the_letters_of_malis_languages_are_folded(raw, expected):
    assert normalise_name(raw) == expected


def test_sound_key_meets_french_spellings():
    assert sound_key("tombouctou") == sound_key("tombuktu")
    assert sound_key("koulikoro") == sound_key("kulikoro")
