"""Reading import tables: CSV in both separators and encodings, XLSX, KoBoToolbox exports, HXL rows; French values;
column recognition. No database (pytest -p no:django)."""
import datetime as dt
import io

import pytest
from openpyxl import Workbook

from etl.columns import check_mapping, recognise_columns
from etl.errors import EtlError
from etl.tables import MAX_BYTES, read_table
from etl.values_fr import parse_bool, parse_count, parse_date, parse_number, split_list


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_semicolon_csv_in_windows_1252_with_french_values():
    text = ("Organisation;Région;Cercle de;Date de début (jj/mm/aaaa);Femmes ciblées\r\n"
            "Association Bènkadi;Ségou;Cercle de Ségou;03/04/2025;1 200\r\n"
            ";;;;\r\n"
            "Association Djiguiya;Kayes;Bafoulabé;15/01/2024;85,0\r\n")
    table = read_table(text.encode("cp1252"), "3W.csv")
    assert (table.encoding, table.separator, table.source_format) == ("cp1252", ";", "csv")
    assert list(table.frame.columns)[:2] == ["Organisation", "Région"]
    assert table.frame.iloc[0].tolist() == ["Association Bènkadi", "Ségou", "Cercle de Ségou", "03/04/2025", "1 200"]
    assert len(table.frame) == 2  # the empty line is dropped
    assert parse_date(table.frame.iloc[0, 3]) == dt.date(2025, 4, 3)
    assert parse_count(table.frame.iloc[0, 4]) == 1200 and parse_count(table.frame.iloc[1, 4]) == 85


def test_utf8_comma_csv_with_bom_and_a_hxl_row():
    text = "\ufeffOrganisation,Commune P-code,Start\n#org+name,#adm3+code,#date+start\nAJM,ML040224,2025-01-31\n"
    table = read_table(text.encode("utf-8"), "export.csv")
    assert table.encoding == "utf-8-sig" and table.separator == ","
    assert table.hxl == {"Organisation": "#org+name", "Commune P-code": "#adm3+code", "Start": "#date+start"}
    assert len(table.frame) == 1 and table.first_data_line == 3
    assert recognise_columns(list(table.frame.columns), table.hxl) == {
        "organisation": "Organisation", "commune_pcode": "Commune P-code", "start_date": "Start"}


def test_xlsx_with_dates_and_numbers_as_cells():
    data = xlsx([["Organisation", "Début", "Fin", "Femmes atteintes", "Commune"],
                 ["Association A", dt.datetime(2025, 2, 1), "31/12/2025", 350, "Markala"]])
    table = read_table(data, "suivi.xlsx")
    assert table.source_format == "xlsx"
    assert table.frame.iloc[0].tolist() == ["Association A", "2025-02-01", "31/12/2025", "350", "Markala"]
    assert recognise_columns(list(table.frame.columns)) == {
        "organisation": "Organisation", "start_date": "Début", "end_date": "Fin", "women_reached": "Femmes atteintes",
        "commune": "Commune"}


def test_kobo_export_drops_group_prefixes_and_keeps_the_uuid():
    text = ("start;end;identification/organisation;lieu/region;lieu/cercle;activite/theme;_id;_uuid;_submission_time\n"
            "2025-03-01;2025-03-01;Association A;Segou;Segou;vbg;12;6c1e-uuid;2025-03-01T10:00:00\n")
    table = read_table(text.encode(), "kobo.csv")
    assert table.source_format == "kobo"
    assert {"organisation", "region", "cercle", "theme", "_uuid"} <= set(table.frame.columns)
    mapping = recognise_columns(list(table.frame.columns))
    assert mapping["external_id"] == "_uuid" and mapping["organisation"] == "organisation"
    assert mapping["themes"] == "theme" and mapping["region"] == "region"


def test_limits_and_unreadable_files_are_refused():
    with pytest.raises(EtlError) as too_large:
        read_table(b"a;b\n" + b"x;y\n" * (MAX_BYTES // 4 + 1))
    assert too_large.value.code == "file_too_large"
    with pytest.raises(EtlError) as not_a_table:
        read_table(b"\x00\x01\x02binary", "photo.csv")
    assert not_a_table.value.code == "file_unreadable"
    with pytest.raises(EtlError) as broken:
        read_table(b"PK\x03\x04broken zip", "a.xlsx")
    assert broken.value.code == "file_unreadable"
    with pytest.raises(EtlError) as empty:
        read_table(b"\n;;\n", "vide.csv")
    assert empty.value.code == "table_empty"


@pytest.mark.parametrize(("text", "expected"), [
    ("03/04/2025", dt.date(2025, 4, 3)), ("3-4-25", dt.date(2025, 4, 3)), ("2025-04-03", dt.date(2025, 4, 3)),
    ("04/2025", dt.date(2025, 4, 1)), ("2025", dt.date(2025, 1, 1)), ("", None), (None, None),
])
def test_french_dates(text, expected):
    assert parse_date(text) == expected


def test_end_of_period_dates_and_bad_dates():
    assert parse_date("02/2024", end_of_period=True) == dt.date(2024, 2, 29)
    assert parse_date("2025", end_of_period=True) == dt.date(2025, 12, 31)
    for bad in ("31/02/2025", "demain", "2025/13/01"):
        with pytest.raises(ValueError, match="jj/mm/aaaa"):
            parse_date(bad)


@pytest.mark.parametrize(("text", "expected"), [("1 234,5", 1234.5), ("1234.5", 1234.5), ("1.234,5", 1234.5),
                                                ("1,234.5", 1234.5), ("12,5", 12.5), ("1\u00a0200", 1200.0)])
def test_decimal_commas(text, expected):
    assert parse_number(text) == expected


def test_counts_booleans_and_lists():
    with pytest.raises(ValueError):
        parse_count("-3")
    with pytest.raises(ValueError):
        parse_count("12,5")
    assert [parse_bool(v) for v in ("Oui", "non", "YES", "x", "")] == [True, False, True, True, None]
    with pytest.raises(ValueError):
        parse_bool("peut-être")
    assert split_list("vbg; acces-justice | formation,plaidoyer") == ["vbg", "acces-justice", "formation", "plaidoyer"]


def test_a_mapping_needs_who_and_where():
    problems = check_mapping({"title": "Titre", "themes": "Colonne absente"}, ["Titre"])
    assert any("Colonne absente" in p for p in problems)
    assert any("organisation" in p for p in problems) and any("lieu" in p for p in problems)
    assert check_mapping({"organisation": "Org", "commune": "Commune"}, ["Org", "Commune"]) == []


def test_a_title_above_the_header_and_blank_lines_are_skipped_and_lines_kept():
    data = xlsx([["Matrice 3W – Réseau des femmes de Ségou – 2025"], [], ["Organisation", "Commune", "Thème"],
                 ["Association A", "Markala", "vbg"], [], ["Association B", "Dioro", "vbg"]])
    table = read_table(data, "3W.xlsx")
    assert list(table.frame.columns) == ["Organisation", "Commune", "Thème"]
    assert table.frame["Organisation"].tolist() == ["Association A", "Association B"]
    assert [table.line_of(0), table.line_of(1)] == [4, 6]  # the lines Excel shows
