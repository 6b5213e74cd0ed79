import pytest

from etl.errors import EtlError
from etl.population import read_pcode_crosswalk, read_population_csv

HEADER = "adm3_pcode,adm3_name,pop2015_female,pop2015_male,pop2015_total,pop2017_female,pop2017_male,pop2017_total\n"


def csv_file(tmp_path, text, name="pop.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def expect_error(code, path, **kwargs):
    with pytest.raises(EtlError) as info:
        read_population_csv(path, **kwargs)
    assert info.value.code == code, str(info.value)
    return info.value


def test_long_format(tmp_path):
    path = csv_file(tmp_path, HEADER + "ML010102,B,5,6,11,7,8,15\nML010101,A,1,2,3,4,5,9\n")
    frame = read_population_csv(path, level=3)
    assert list(frame.columns) == ["pcode", "year", "female", "male", "total"]
    assert frame.values.tolist() == [
        ["ML010101", 2015, 1, 2, 3],
        ["ML010101", 2017, 4, 5, 9],
        ["ML010102", 2015, 5, 6, 11],
        ["ML010102", 2017, 7, 8, 15],
    ]
    assert all(str(frame[c].dtype) == "int64" for c in ("year", "female", "male", "total"))
    assert read_population_csv(path, level=3, years=(2017,))["year"].unique().tolist() == [2017]


def test_french_style_csv(tmp_path):
    text = HEADER.replace(",", ";") + "ML010101;Ségou;1 234;2\u00a0000;3 234,0;4;5;9\n"
    frame = read_population_csv(csv_file(tmp_path, text, encoding="cp1252"), level=3)
    assert frame.loc[0, ["female", "male", "total"]].tolist() == [1234, 2000, 3234]


def test_missing_columns_are_named(tmp_path):
    error = expect_error("missing_columns", csv_file(tmp_path, HEADER + "x,x,1,1,2,1,1,2\n"), level=2)
    assert "adm2_pcode" in error.message_en
    error = expect_error("missing_columns", csv_file(tmp_path, "adm3_pcode,pop2017_female\nA,1\n"), level=3)
    assert "pop2017_male" in error.message_en and "pop2015_total" in error.message_fr


def test_duplicate_pcodes(tmp_path):
    path = csv_file(tmp_path, HEADER + "ML010101,A,1,2,3,4,5,9\nML010101,A,1,2,3,4,5,9\n")
    assert "ML010101" in expect_error("pcode_duplicate", path, level=3).message_en


@pytest.mark.parametrize("bad", ["-4", "beaucoup", "", "4.5"])
def test_invalid_values_name_the_row(tmp_path, bad):
    path = csv_file(tmp_path, HEADER + "ML010101,A,1,2,3,4,5,9\n" + f"ML010102,B,1,2,3,{bad},5,9\n")
    error = expect_error("population_invalid", path, level=3)
    assert "line 3 (ML010102) pop2017_female" in error.message_en


def test_unreadable_file(tmp_path):
    expect_error("file_unreadable", tmp_path / "absent.csv", level=3)


@pytest.mark.realdata
def test_real_commune_population(mali_dir):
    frame = read_population_csv(mali_dir / "population_admin3_communes_2017.csv", level=3)
    assert len(frame) == 701 * 2
    women_2017 = frame.loc[frame["year"] == 2017, "female"].sum()
    assert women_2017 == 9_509_945
    assert frame.loc[frame["year"] == 2017, "total"].sum() == 18_864_526


@pytest.mark.realdata
def test_real_cercle_population_matches_communes(mali_dir):
    cercles = read_population_csv(mali_dir / "population_admin2_cercles_2017.csv", level=2)
    assert cercles["pcode"].nunique() == 50
    assert cercles.loc[cercles["year"] == 2017, "female"].sum() == 9_509_945


@pytest.mark.realdata
def test_real_crosswalks(mali_dir):
    cercles = read_pcode_crosswalk(mali_dir / "population_admin2_cercles_2017.csv", level=2)
    assert list(cercles.columns) == ["pcode", "alias_pcode", "alias_name"]
    assert len(cercles) == 50 and cercles["alias_pcode"].is_unique
    # The older scheme's ML0101 is the COD cercle ML0102 Bafoulabe.
    row = cercles.set_index("alias_pcode").loc["ML0101"]
    assert (row["pcode"], row["alias_name"]) == ("ML0102", "Bafoulabe")

    communes = read_pcode_crosswalk(mali_dir / "population_admin3_communes_2017.csv", level=3)
    assert len(communes) == 701 and communes["alias_pcode"].is_unique
    assert communes.set_index("pcode").loc["ML010101"].tolist() == ["ML010301", "Bangassi"]

    regions = read_pcode_crosswalk(mali_dir / "population_admin3_communes_2017.csv", level=1)
    # Admin-1 codes are the same in both schemes (Niantaga's older region does not win the vote).
    assert (regions["pcode"] == regions["alias_pcode"]).all() and len(regions) == 9
    assert regions.set_index("pcode").loc["ML04", "alias_name"] == "Segou"


def test_crosswalk_missing_columns(tmp_path):
    with pytest.raises(EtlError) as info:
        read_pcode_crosswalk(csv_file(tmp_path, HEADER + "ML010101,A,1,2,3,4,5,9\n"), level=3)
    assert info.value.code == "missing_columns" and "hdx2017_adm3_pcode" in info.value.message_en
