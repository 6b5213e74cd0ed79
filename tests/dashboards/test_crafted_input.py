"""Callbacks are HTTP endpoints anyone can post to: whatever values they carry (unknown themes, a network that is
not an id, an impossible period, odd click data), the dashboard answers with a clear state, never a 500."""
import pytest

from dashboards import state

from .drawn import table
from .test_dashboard import PREFIX, call, click, filter_values, wsgi_client  # noqa: F401 (the fixture)


def test_controls_with_values_of_the_wrong_kind_give_the_default_filters():
    odd = dict(level=["3"], metric={"x": 1}, themes="vbg", network="abc", funder=10**30, period="2015",
               bounds=(2012, 2028))
    filters = state.from_controls(**odd, known_themes={"vbg"})
    assert filters == state.Filters(themes=("vbg",))
    assert state.from_controls(**{**odd, "themes": [5, {"a": 1}, "nope", "\x00", "vbg", "vbg"]},
                               known_themes={"vbg"}).themes == ("vbg",)
    assert state.from_controls(**{**odd, "network": True, "funder": -4}).network is None


@pytest.mark.parametrize("period,bounds", [(["x", 2020], (2012, 2028)), ([1, 99_999], (2012, 2028)),
                                           ([2020, 2015], (2012, 2028)), ([2015, 2020], "ab"),
                                           ([2015, 2020], [0, 10**9]), ([2015, 2020, 2021], (2012, 2028))])
def test_an_impossible_period_means_no_period(period, bounds):
    filters = state.from_controls(level=2, metric="organisations", themes=[], network=None, funder=None,
                                  period=period, bounds=bounds)
    assert (filters.year_from, filters.year_to) == (None, None)


@pytest.mark.parametrize("click", [None, "text", {"points": "x"}, {"points": []}, {"points": ["ML04"]},
                                   {"points": [{"location": ["ML04"]}]}, {"points": [{"location": "\x00"}]},
                                   {"points": [{"location": "M" * 500}]}])
def test_odd_click_data_names_no_unit(click):
    assert state.clicked_pcode(click) is None


def test_a_click_on_a_unit_names_it():
    assert state.clicked_pcode({"points": [{"location": "ML0401", "z": 3}]}) == "ML0401"


def test_an_address_with_odd_values_gives_the_default_filters():
    assert state.from_query(["?niveau=3"]) == state.Filters()
    assert state.from_query("?reseau=99999999999999999999999&de=-5&a=１２&themes=\x00") == state.Filters()


def summary(response, prefix: str = "cov") -> str:
    return response[f"{prefix}-summary"]["children"][0]


@pytest.mark.realdata
@pytest.mark.parametrize("changes", [
    {"f-themes": ["nope", "\x00", 5]},
    {"f-themes": "vbg,nope"},
    {"f-network": "abc"},
    {"f-network": 10**30},
    {"f-network": {"id": 1}},
    {"f-funder": [1, 2]},
    {"f-period": ["x", 2020]},
    {"f-period": [1, 99_999]},
    {"f-level": ["3"]},
    {"f-metric": {"x": 1}},
    {"f-bounds": "ab"},
])
def test_crafted_filter_values_answer_the_unfiltered_view(wsgi_client, mali, changes):  # noqa: F811
    plain, _size = call(wsgi_client, "..cov-map.figure", filter_values(level=1))
    crafted, _size = call(wsgi_client, "..cov-map.figure", {**filter_values(level=1), **changes},
                          state={"f-bounds": changes.get("f-bounds", [2012, 2030])})
    assert summary(crafted) == summary(plain)


@pytest.mark.realdata
@pytest.mark.parametrize("output", ["..gap-map.figure", "..ovl-map.figure", "..net-rollup.figure",
                                    "..fun-rollup.figure", "fun-years.figure"])
def test_every_view_survives_crafted_values(wsgi_client, mali, output):  # noqa: F811
    crafted = {**filter_values(level=1), "f-themes": ["nope"], "f-network": "abc", "f-period": [1, 99_999]}
    response, _size = call(wsgi_client, output, crafted, state={"f-bounds": [0, 10**9]})
    assert response


@pytest.mark.realdata
@pytest.mark.parametrize("click", ["text", {"points": "x"}, {"points": [{"location": ["ML04"]}]},
                                   {"points": [{"location": "\x00"}]}])
def test_crafted_click_data_changes_nothing(wsgi_client, mali, click):  # noqa: F811
    dependencies = f"{PREFIX}/_dash-dependencies"
    assert wsgi_client.get(dependencies).status_code == 200
    response = wsgi_client.post(f"{PREFIX}/_dash-update-component", json={
        "output": "cov-detail.children", "outputs": {"id": "cov-detail", "property": "children"},
        "inputs": [{"id": "cov-map", "property": "clickData", "value": click}],
        "state": [{"id": i, "property": "value", "value": v} for i, v in filter_values(level=1).items()]
        + [{"id": "f-bounds", "property": "data", "value": [2012, 2030]}],
        "changedPropIds": ["cov-map.clickData"]})
    assert response.status_code == 200, response.get_data()[:300]
    assert response.get_json()["response"] == {}  # no_update: the detail panel stays as it was


@pytest.mark.realdata
@pytest.mark.parametrize(("kept", "rows"), [("x", 15), ({"page": -3, "column": [1]}, 15),
                                            ({"page": "1", "column": {"a": 1}, "descending": "yes"}, 15),
                                            ({"page": 10**30, "column": "nope", "descending": True}, 5)])
def test_crafted_paging_and_sorting_give_a_page(wsgi_client, mali, kept, rows):  # noqa: F811
    response, status = click(wsgi_client, "cov-next", kept)  # 50 cercles: 4 pages, the last one of 5 rows
    assert status == 200
    assert len(table(response["cov-table"]["children"])[1]) == rows
