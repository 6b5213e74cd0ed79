"""The filters' place in the URL: read back exactly what was written, ignore what makes no sense."""
from dashboards import state
from dashboards.state import Filters


def test_defaults_make_an_empty_query_string():
    assert state.to_query(Filters()) == ""
    assert state.from_query("") == Filters()
    assert state.from_query(None) == Filters()


def test_a_query_string_round_trips():
    filters = Filters(level=3, metric="femmes", themes=("vbg", "acces-justice"), network=12, funder=3,
                      year_from=2019, year_to=2024)
    query = state.to_query(filters)
    assert query == "?niveau=3&mesure=femmes&themes=vbg,acces-justice&reseau=12&bailleur=3&de=2019&a=2024"
    assert state.from_query(query) == filters
    assert state.from_query(query.lstrip("?")) == filters


def test_invalid_values_fall_back_to_the_defaults():
    filters = state.from_query("?niveau=7&mesure=rien&reseau=abc&de=2025&a=2020&themes=,vbg,")
    assert filters.level == state.DEFAULT_LEVEL and filters.metric == state.DEFAULT_METRIC
    assert filters.network is None
    assert (filters.year_from, filters.year_to) == (2020, 2025)  # swapped into order
    assert filters.themes == ("vbg",)


def test_a_period_slider_at_its_full_range_means_no_period():
    common = {"level": 2, "metric": "organisations", "themes": [], "network": None, "funder": None}
    assert state.from_controls(**common, period=[2012, 2028], bounds=(2012, 2028)).year_from is None
    chosen = state.from_controls(**common, period=[2015, 2020], bounds=(2012, 2028))
    assert (chosen.year_from, chosen.year_to) == (2015, 2020)


def test_period_value_clips_the_filters_period_to_the_bounds():
    assert state.period_value(Filters(), (2012, 2028)) == [2012, 2028]
    assert state.period_value(Filters(year_from=2005, year_to=2020), (2012, 2028)) == [2012, 2020]
    assert state.period_value(Filters(year_from=2030, year_to=2031), (2012, 2028)) == [2028, 2028]


def test_the_controls_and_the_url_agree():
    filters = state.from_controls(level=1, metric="femmes-par-organisation", themes=["vbg"], network=4, funder=None,
                                  period=[2018, 2022], bounds=(2012, 2028))
    assert state.from_query(state.to_query(filters)) == filters
