"""The figure and table builders are pure: a known frame gives a known figure, without a browser or a database."""
import csv
import datetime as dt
import io
import json

import pandas as pd
import pytest
from django.utils import translation
from openpyxl import load_workbook

from dashboards import exports, figures

GEOJSON_URL = "/tableau-de-bord/geo/3-abc.geojson"


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def coverage() -> pd.DataFrame:
    return pd.DataFrame([
        {"pcode": "ZZ01", "name": "Alpha", "level": 3, "area_km2": 10.0, "covered_km2": 5.0, "women": 1000.0,
         "women_covered": 500.0, "population": 2000.0, "population_covered": 1000.0, "organisations": 2,
         "interventions": 3, "coverage_share": 0.5, "women_share_covered": 0.5, "women_per_organisation": 500.0},
        {"pcode": "ZZ02", "name": "Bêta", "level": 3, "area_km2": 10.0, "covered_km2": 0.0, "women": 2000.0,
         "women_covered": 0.0, "population": 4000.0, "population_covered": 0.0, "organisations": 0,
         "interventions": 0, "coverage_share": 0.0, "women_share_covered": 0.0, "women_per_organisation": None},
    ])


def units() -> pd.DataFrame:
    return pd.DataFrame({"pcode": ["ZZ01", "ZZ02"], "name": ["Alpha", "Bêta"], "level": [3, 3],
                         "parent_pcode": ["Z1", "Z1"], "women_2017": [1000, 2000], "parent_name": ["Cercle", "Cercle"]})


@pytest.mark.parametrize(("metric", "z"), [
    ("organisations", [2, 0]),
    ("femmes", [50.0, 0.0]),
    ("femmes-par-organisation", [500, None]),
])
def test_a_known_frame_gives_a_known_choropleth(metric, z):
    figure = figures.coverage_map(coverage(), GEOJSON_URL, metric=metric, level=3)
    base, measured = figure.data
    assert list(base.locations) == list(measured.locations) == ["ZZ01", "ZZ02"]
    assert base.hoverinfo == "skip"
    assert list(measured.z) == z
    assert measured.featureidkey == "properties.pcode"
    assert measured.geojson == GEOJSON_URL  # an address the browser caches, not the geometry itself
    assert list(measured.customdata[0]) == [2, 3, 50.0, 500, 1000, "500"]
    assert list(measured.customdata[1])[-1] == "—"  # no organisation: no women per organisation
    assert "Femmes couvertes" in measured.hovertemplate
    assert figure.layout.separators == ", "


def test_filter_change_values_carry_no_geometry_and_no_locations():
    values = figures.coverage_values(coverage(), "femmes")
    assert set(values) == {"z", "customdata", "hovertemplate", "colorscale", "colorbar", "zmin", "zmax"}
    assert (values["zmin"], values["zmax"]) == (0, 100)
    assert values["z"] == [50.0, 0.0]
    assert len(json.dumps(values)) < 1000


def test_the_figure_can_also_embed_a_geojson_dict():
    geojson = {"type": "FeatureCollection", "features": []}
    figure = figures.coverage_map(coverage(), geojson, metric="organisations", level=2)
    assert figure.data[1].geojson == geojson
    assert "Cercles" in figure.layout.title.text


def test_labels_follow_the_active_language():
    with translation.override("en"):
        figure = figures.coverage_map(coverage(), GEOJSON_URL, metric="organisations", level=3)
        assert figure.layout.separators == ".,"
        assert figures.formatted(12345.6, 1) == "12,345.6"
    assert figures.formatted(12345.6, 1) == "12 345,6"
    assert figures.formatted(None) == "—"


def test_gaps_map_shows_only_the_gaps_over_a_base_of_every_unit():
    gaps = pd.DataFrame([{"rank": 1, "pcode": "ZZ02", "name": "Bêta", "parent_name": "Cercle",
                          "women_uncovered": 2000.0, "partners": "Org A", "partner_units": "Alpha"}])
    figure = figures.gaps_map(units(), gaps, GEOJSON_URL, level=3)
    assert list(figure.data[0].locations) == ["ZZ01", "ZZ02"]
    assert list(figure.data[1].locations) == ["ZZ02"] and list(figure.data[1].z) == [2000]
    table = figures.gaps_table(gaps, level=3)
    assert [c[0] for c in table.columns] == ["rank", "pcode", "name", "parent_name", "women_uncovered", "partners",
                                             "partner_units"]
    assert table.labelled().iloc[0]["Commune"] == "Bêta"


def test_overlaps_map_and_table():
    by_unit = pd.DataFrame([{"pcode": "ZZ01", "name": "Alpha", "pairs": 2, "shared_km2": 3.0, "women_shared": 250.4}])
    figure = figures.overlaps_map(units(), by_unit, GEOJSON_URL, level=3)
    assert list(figure.data[1].z) == [250] and list(figure.data[1].customdata[0]) == [2]
    pairs = pd.DataFrame([{"organisation_a": "A", "intervention_a": "a", "organisation_b": "B", "intervention_b": "b",
                           "themes": "VBG", "period_start": dt.date(2025, 1, 1), "period_end": None,
                           "shared_km2": 3.04, "women_shared": 250.4, "units": "Alpha"}])
    row = figures.overlaps_table(pairs).frame.iloc[0]
    assert (row["period_start"], row["period_end"], row["shared_km2"], row["women_shared"]) == (
        "2025-01-01", "", 3.0, 250)


def test_coverage_table_rounds_and_labels():
    table = figures.coverage_table(coverage(), units(), level=3)
    assert [c[1] for c in table.columns][:3] == ["P-code", "Commune", "Cercle"]
    first = table.frame.iloc[0]
    assert (first["women_covered"], first["share"], first["women_per_organisation"]) == (500, 50.0, 500)
    assert table.frame.iloc[1]["women_per_organisation"] is None
    region_table = figures.coverage_table(coverage(), units(), level=1)
    assert "parent" not in [c[0] for c in region_table.columns]


def test_csv_and_xlsx_exports_hold_the_table():
    table = figures.coverage_table(coverage(), units(), level=3)
    text = exports.to_csv(table).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [c[1] for c in table.columns]
    assert rows[1] == ["ZZ01", "Alpha", "Cercle", "2", "3", "1000", "500", "50.0", "500"]
    assert rows[2][-1] == ""  # no women per organisation
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(table))).active
    values = list(sheet.values)
    assert list(values[0]) == rows[0]
    assert list(values[1]) == ["ZZ01", "Alpha", "Cercle", 2, 3, 1000, 500, 50.0, 500]
    assert exports.filename(table, "csv", dt.date(2025, 3, 1)) == "musoya-couverture-2025-03-01.csv"


def test_rollup_bar_and_theme_heatmap():
    rollup = pd.DataFrame([{"network": "Réseau A", "organisations": 3, "interventions": 5, "women_covered": 1200.4,
                            "women_share_covered": 0.1},
                           {"network": "Réseau B", "organisations": 1, "interventions": 1, "women_covered": 10.0,
                            "women_share_covered": 0.001}])
    bar = figures.rollup_bar(rollup, name_column="network", title="t")
    assert list(bar.data[0].y) == ["Réseau B", "Réseau A"] and list(bar.data[0].x) == [10, 1200]
    members = pd.DataFrame([{"network": "Réseau A", "member": "M1", "domain": "vbg", "interventions": 2},
                            {"network": "Réseau A", "member": "M2", "domain": "acces-justice", "interventions": 1}])
    labels = {"vbg": "VBG", "acces-justice": "Justice", "paix-securite": "Paix"}
    heat = figures.theme_heatmap(members, row_column="member", theme_labels=labels, title="t")
    assert list(heat.data[0].x) == ["VBG", "Justice"]
    assert [list(r) for r in heat.data[0].z] == [[2, 0], [0, 1]]
    assert list(heat.layout.yaxis.ticktext) == ["M1", "M2"]
    table = figures.member_themes_table(members, rollup, labels)
    assert table.frame["themes"].tolist() == ["VBG", "Justice"]
    assert table.frame["network_women_covered"].tolist() == [1200, 1200]


def test_funder_charts():
    funders = pd.DataFrame([{"funder_id": 1, "funder": "Fonds", "organisations": 2, "interventions": 3,
                             "covered_km2": 1.0, "coverage_share": 0.1, "women_covered": 100.0,
                             "women_share_covered": 0.2, "population_covered": 200.0,
                             "marker_2": 1, "marker_1": 1, "marker_0": 0, "marker_none": 1}])
    markers = figures.gender_marker_bar(funders)
    assert [trace.x[0] for trace in markers.data] == [1, 1, 0, 1]
    assert markers.layout.barmode == "stack"
    table = figures.funder_table(funders)
    assert table.frame.iloc[0]["share"] == 20.0
    years = pd.DataFrame({"year": [2023, 2024], "organisations": [1, 2], "interventions": [1, 3],
                          "women": [10.0, 10.0], "women_covered": [2.0, 5.0], "women_share_covered": [0.2, 0.5]})
    over_time = figures.coverage_over_time(years)
    assert list(over_time.data[0].x) == [2023, 2024] and list(over_time.data[0].y) == [2, 5]


def test_no_overlaps_gives_an_empty_map_and_table():
    pairs, by_unit = figures.no_overlaps()
    figure = figures.overlaps_map(units(), by_unit, GEOJSON_URL, level=3)
    assert list(figure.data[1].locations) == [] and len(figure.data[0].locations) == 2
    assert figures.overlaps_table(pairs).frame.empty


def test_recent_cache_keeps_answers_for_a_while(monkeypatch):
    from dashboards.cache import RecentCache

    calls = []
    cache = RecentCache(size=2, seconds=60)
    assert cache.get("a", lambda: calls.append("a") or 1) == 1
    assert cache.get("a", lambda: calls.append("a") or 2) == 1  # remembered
    cache.put("b", 3)
    cache.put("c", 4)  # "a" is the oldest: forgotten
    assert cache.get("a", lambda: calls.append("a") or 5) == 5 and calls == ["a", "a"]
    monkeypatch.setenv("MUSOYA_DASHBOARD_CACHE_SECONDS", "0")
    off = RecentCache()
    assert off.get("x", lambda: 1) == 1 and off.get("x", lambda: 2) == 2
