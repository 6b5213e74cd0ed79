import pickle

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.errors import EtlError
from etl.names import name_variants, normalise_name, normalise_series


def test_etl_error_attributes_and_str():
    error = EtlError("no_features", "Aucune entité.", "No features.")
    assert isinstance(error, Exception)
    assert (error.code, error.message_fr, error.message_en) == ("no_features", "Aucune entité.", "No features.")
    assert str(error) == "no_features: No features."
    assert error.message("fr") == "Aucune entité."


def test_etl_error_survives_pickling():
    error = pickle.loads(pickle.dumps(EtlError("pcode_duplicate", "fr", "en")))
    assert (error.code, error.message_fr, str(error)) == ("pcode_duplicate", "fr", "pcode_duplicate: en")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Région de Ségou", "segou"),
        ("Cercle d'Ansongo", "ansongo"),
        ("Cercle d’Ansongo", "ansongo"),
        ("Cercle de Bafoulabé", "bafoulabe"),
        ("Commune rurale de Bangassi", "bangassi"),
        ("Commune urbaine de Kayes", "kayes"),
        ("Commune de Tomora", "tomora"),
        ("District de Bamako", "bamako"),
        ("District of Bamako", "bamako"),
        ("Ville de Mopti", "mopti"),
        ("région de Kidal", "kidal"),
        ("Bangassi-Doudou-Maure", "bangassi doudou maure"),
        ("  N'Gara   ", "n gara"),
        ("KÉNIÉBA", "kenieba"),
        ("San", "san"),
        ("Commune I", "commune 1"),
        ("Commune II", "commune 2"),
        ("Commune III", "commune 3"),
        ("commune iv", "commune 4"),
        ("Commune V", "commune 5"),
        ("Commune VI", "commune 6"),
        ("Commune 4", "commune 4"),
        ("Commune IV du District de Bamako", "commune 4"),
        ("Commune VI de Bamako", "commune 6"),
        ("Commune Vieille", "commune vieille"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_name(raw, expected):
    assert normalise_name(raw) == expected


@given(st.text(max_size=40))
def test_normalise_name_is_idempotent_and_clean(text):
    once = normalise_name(text)
    assert normalise_name(once) == once
    assert once == once.strip()
    assert "  " not in once
    assert once == once.lower()


def test_name_variants():
    assert name_variants("Niono Ville") == ["niono ville", "nionoville"]
    assert name_variants("San") == ["san"]
    assert name_variants("Commune IV", ["Commune 4 du District de Bamako", None, ""]) == [
        "commune 4",
        "commune iv",
        "commune4",
    ]
    assert name_variants("Kabaté", ["Kabate", "Kabaté-Ouest"]) == ["kabate", "kabate ouest", "kabateouest"]
    assert name_variants("") == []


def test_normalise_series():
    result = normalise_series(pd.Series(["Région de Ségou", None, "Commune III"]))
    assert result.tolist() == ["segou", "", "commune 3"]
