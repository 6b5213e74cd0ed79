"""The data functions on the hand-made grid (tests/analytics/grid_setup.py), where every answer is known.

The grid: one cercle ZZ0101 of four 0.5° communes, 1,000 women each: ZZ010101 north-west, ZZ010102 north-east,
ZZ010103 south-west, ZZ010104 south-east.
"""
import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from dashboards import data, figures
from dashboards.state import Filters
from geo_backend.organisations.access import VISITOR, Audience, audience_for
from geo_backend.taxonomy.models import Funder
from geo_backend.zones.models import Intervention
from tests import factories
from tests.analytics.grid_setup import NW_WEST_HALF, NW_WHOLE, WOMEN_PER_COMMUNE, declared, grid_edition, rectangle

pytestmark = pytest.mark.django_db
GRID = "grille-test"
NW, NE, SW, SE = "ZZ010101", "ZZ010102", "ZZ010103", "ZZ010104"
SE_WHOLE = rectangle(-6.0, 13.0, -5.5, 13.5)
COORDINATOR = Audience(user_id=-1, is_admin=True)


@pytest.fixture
def grid(tmp_path):
    data.clear_caches()
    edition = grid_edition(tmp_path)
    yield edition
    data.clear_caches()


def test_a_known_grid_gives_a_known_choropleth(grid):
    declared(factories.organisation("Org A"), NW_WEST_HALF, edition=grid)
    frame = data.coverage_frame(VISITOR, Filters(level=3), edition_slug=GRID)
    assert frame["pcode"].tolist() == [NW, NE, SW, SE]
    assert frame["women_covered"].round().tolist() == [WOMEN_PER_COMMUNE / 2, 0, 0, 0]
    geojson = data.geometry(3, edition_slug=GRID).collection
    by_count = figures.coverage_map(frame, geojson, metric="organisations", level=3)
    assert list(by_count.data[1].locations) == [NW, NE, SW, SE]
    assert list(by_count.data[1].z) == [1, 0, 0, 0]
    by_share = figures.coverage_map(frame, geojson, metric="femmes", level=3)
    assert list(by_share.data[1].z) == [50.0, 0.0, 0.0, 0.0]
    per_organisation = figures.coverage_map(frame, geojson, metric="femmes-par-organisation", level=3)
    assert list(per_organisation.data[1].z) == [WOMEN_PER_COMMUNE, None, None, None]
    (cercle,) = data.coverage_frame(VISITOR, Filters(level=2), edition_slug=GRID).to_dict("records")
    assert cercle["women"] == 4 * WOMEN_PER_COMMUNE and round(cercle["women_covered"]) == 500


def test_geometry_is_the_web_geojson_with_a_stable_fingerprint(grid):
    first = data.geometry(3, edition_slug=GRID)
    assert [f["properties"]["pcode"] for f in first.collection["features"]] == [NW, NE, SW, SE]
    assert data.geometry(3, edition_slug=GRID) is first  # read once
    units = data.units_frame(3, edition_slug=GRID)
    assert units["parent_name"].unique().tolist() == ["Cercle de Grille"]


def test_neighbours_touch_by_side_or_corner(grid):
    from geo_backend.regions.models import Edition
    from geo_backend.regions.selectors import unit_neighbours

    neighbours = unit_neighbours(edition=Edition.objects.get(slug=GRID), level=3)
    assert neighbours[NW] == [NE, SW, SE]
    assert neighbours[SE] == [NW, NE, SW]


def test_gaps_for_a_theme_with_neighbours_suggested_as_partners(grid):
    declared(factories.organisation("Org VBG"), NW_WHOLE, edition=grid, theme="vbg")
    declared(factories.organisation("Org École"), SE_WHOLE, edition=grid, theme="education-filles")
    gaps = data.gaps_frame(VISITOR, Filters(level=3, themes=("vbg",)), edition_slug=GRID)
    assert gaps["pcode"].tolist() == [NE, SW, SE]
    assert gaps["rank"].tolist() == [1, 2, 3]
    assert gaps["women_uncovered"].round().tolist() == [WOMEN_PER_COMMUNE] * 3
    assert set(gaps["partners"]) == {"Org VBG"}  # the education organisation is not suggested for VBG
    assert gaps.iloc[0]["partner_units"] == "Commune Nord-Ouest"
    everything = data.gaps_frame(VISITOR, Filters(level=3), edition_slug=GRID)
    assert everything["pcode"].tolist() == [NE, SW]
    assert set(everything.iloc[0]["partners"].split(", ")) == {"Org VBG", "Org École"}


def test_selection_counts_and_says_when_demo_data_is_in_view(grid):
    real = declared(factories.organisation(), NW_WHOLE, edition=grid)
    chosen = data.selection(VISITOR, Filters(level=3), edition_slug=GRID)
    assert (chosen.interventions, chosen.organisations, chosen.has_demo) == (1, 1, False)
    Intervention.objects.filter(pk=real.pk).update(is_demo=True)
    assert data.selection(VISITOR, Filters(level=3), edition_slug=GRID).has_demo


def test_visitors_do_not_count_restricted_interventions_coordinators_do(grid):
    declared(factories.organisation(), NW_WHOLE, edition=grid)
    declared(factories.organisation(), SE_WHOLE, edition=grid, sensitivity="restricted")
    visitor = data.coverage_frame(VISITOR, Filters(level=3), edition_slug=GRID).set_index("pcode")
    coordinator = data.coverage_frame(COORDINATOR, Filters(level=3), edition_slug=GRID).set_index("pcode")
    assert visitor.at[SE, "organisations"] == 0 and coordinator.at[SE, "organisations"] == 1
    assert data.selection(VISITOR, Filters(level=3), edition_slug=GRID).interventions == 1
    assert data.selection(COORDINATOR, Filters(level=3), edition_slug=GRID).interventions == 2


def test_donors_count_restricted_interventions(grid):
    declared(factories.organisation(), SE_WHOLE, edition=grid, sensitivity="restricted")
    donor = audience_for(factories.donor())
    assert data.coverage_frame(donor, Filters(level=3), edition_slug=GRID).set_index("pcode").at[
        SE, "organisations"] == 1


def test_who_works_in_a_unit_follows_the_records_rule(grid):
    organisation = factories.organisation("Org Nord")
    declared(organisation, NW_WHOLE, edition=grid, start_date=dt.date(2022, 5, 1))
    declared(factories.organisation("Org Secrète"), NW_WHOLE, edition=grid, sensitivity="restricted")
    frame = data.unit_interventions_frame(VISITOR, Filters(level=3), NW)
    assert frame["organisation"].tolist() == ["Org Nord"]
    assert frame.iloc[0]["start_date"] == dt.date(2022, 5, 1)
    assert "Violences" in frame.iloc[0]["themes"]
    assert len(data.unit_interventions_frame(COORDINATOR, Filters(level=3), NW)) == 2
    assert data.unit_interventions_frame(VISITOR, Filters(level=3), SE).empty


def test_overlaps_frames(grid):
    declared(factories.organisation("Org A"), NW_WEST_HALF, edition=grid, theme="vbg-psychosocial")
    declared(factories.organisation("Org B"), NW_WHOLE, edition=grid, theme="vbg")
    pairs, by_unit = data.overlaps_frames(VISITOR, Filters(level=3), edition_slug=GRID)
    (pair,) = pairs.to_dict("records")
    assert {pair["organisation_a"], pair["organisation_b"]} == {"Org A", "Org B"}
    assert pair["women_shared"] == pytest.approx(WOMEN_PER_COMMUNE / 2, rel=1e-3)
    assert pair["units"] == "Commune Nord-Ouest"
    assert by_unit["pcode"].tolist() == [NW]


def test_coverage_by_year(grid):
    declared(factories.organisation(), NW_WHOLE, edition=grid, start_date=dt.date(2023, 1, 1),
             end_date=dt.date(2024, 6, 30))
    frame = data.coverage_by_year_frame(VISITOR, Filters(level=3), [2022, 2023, 2024, 2025], edition_slug=GRID)
    assert frame["women_covered"].round().tolist() == [0, WOMEN_PER_COMMUNE, WOMEN_PER_COMMUNE, 0]
    assert frame["organisations"].tolist() == [0, 1, 1, 0]


def test_networks_members_and_their_themes(grid):
    member = factories.organisation("Membre A")
    other = factories.organisation("Hors réseau")
    network = factories.network(members=[member])
    declared(member, NW_WHOLE, edition=grid, theme="vbg")
    declared(member, SE_WHOLE, edition=grid, theme="acces-justice")
    declared(other, NW_WHOLE, edition=grid, theme="vbg")
    themes = data.member_themes_frame(VISITOR, Filters(level=3, network=network.id), edition_slug=GRID)
    assert sorted(themes["domain"]) == ["acces-justice", "vbg"]
    assert set(themes["member"]) == {"Membre A"}
    rollup = data.network_rollup_frame(VISITOR, Filters(level=3, network=network.id), edition_slug=GRID)
    (row,) = rollup.to_dict("records")
    assert (row["organisations"], row["interventions"], round(row["women_covered"])) == (1, 2, 2000)


def test_funders_coverage_markers_and_themes(grid):
    funder = Funder.objects.create(name="Fonds Test")
    funded = declared(factories.organisation(), NW_WHOLE, edition=grid, theme="vbg")
    funded.funders.add(funder)
    Intervention.objects.filter(pk=funded.pk).update(gender_marker=2)
    declared(factories.organisation(), SE_WHOLE, edition=grid, theme="paix-securite")
    frame = data.funder_frame(VISITOR, Filters(level=3), edition_slug=GRID).set_index("funder")
    row = frame.loc["Fonds Test"]
    assert (row["interventions"], round(row["women_covered"]), row["marker_2"], row["marker_none"]) == (1, 1000, 1, 0)
    themes = data.funder_themes_frame(VISITOR, Filters(level=3), edition_slug=GRID)
    assert sorted(map(tuple, themes[["funder", "domain", "interventions"]].fillna("-").values.tolist())) == [
        ("-", "paix-securite", 1), ("Fonds Test", "vbg", 1)]


def test_the_person_asking_comes_from_the_site_session():
    assert data.audience_from_cookies({}) == VISITOR
    assert data.audience_from_cookies({"sessionid": "not-a-session"}) == VISITOR
    donor = factories.donor()
    client = Client()
    client.force_login(donor)
    cookies = {"sessionid": client.cookies["sessionid"].value}
    audience = data.audience_from_cookies(cookies)
    assert audience.user_id == donor.pk and audience.is_donor and audience.sees_restricted_analytics
    assert data.person_from_cookies(cookies) == (donor.username, audience)
    assert data.person_from_cookies({}) == (None, VISITOR)
    assert audience_for(AnonymousUser()) == VISITOR


def test_language_comes_from_the_site_cookie_french_by_default():
    assert data.language_from_cookies({}) == "fr"
    assert data.language_from_cookies({"django_language": "en"}) == "en"
    assert data.language_from_cookies({"django_language": "xx"}) == "fr"


def test_csrf_token_reuses_the_browser_secret_or_makes_one():
    token, new_secret = data.csrf_token({})
    assert len(new_secret) == 32 and len(token) == 64
    again, none = data.csrf_token({"csrftoken": new_secret})
    assert none is None and len(again) == 64


def test_filter_options(grid):
    factories.network()
    Funder.objects.create(name="Fonds Test")
    assert {"label": "Violences basées sur le genre (VBG)", "value": "vbg"} in data.theme_options()
    assert any(o["value"] == "vbg-psychosocial" and " › " in o["label"] for o in data.theme_options())
    assert len(data.network_options()) == 1
    assert [o["label"] for o in data.funder_options()] == ["Fonds Test"]
    low, high = data.year_bounds(today=dt.date(2025, 6, 1))
    assert low <= 2025 <= high <= 2028
    assert list(data.domain_labels())[0] == "vbg"


def test_rings_are_wound_the_way_plotlys_maps_read_them():
    square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]  # counter-clockwise
    hole = [[0.2, 0.2], [0.2, 0.4], [0.4, 0.4], [0.4, 0.2], [0.2, 0.2]]  # clockwise
    collection = {"features": [
        {"geometry": {"type": "Polygon", "coordinates": [list(square), list(hole)]}},
        {"geometry": {"type": "MultiPolygon", "coordinates": [[list(reversed(square))]]}},
        {"geometry": None},
    ]}
    wound = data.wound_for_d3(collection)
    exterior, inner = wound["features"][0]["geometry"]["coordinates"]
    assert exterior == list(reversed(square)) and inner == list(reversed(hole))
    assert wound["features"][1]["geometry"]["coordinates"][0][0] == list(reversed(square))  # already clockwise


def test_overlaps_are_summed_up_to_the_cercle(grid):
    declared(factories.organisation("Org A"), rectangle(-6.4, 13.6, -5.75, 13.9), edition=grid)  # NW and NE
    declared(factories.organisation("Org B"), rectangle(-6.4, 13.6, -5.75, 13.9), edition=grid)
    communes_pairs, communes = data.overlaps_frames(VISITOR, Filters(level=3), edition_slug=GRID)
    assert set(communes["pcode"]) == {NW, NE}
    cercle_pairs, cercles = data.overlaps_frames(VISITOR, Filters(level=2), edition_slug=GRID)
    (cercle,) = cercles.to_dict("records")
    assert (cercle["pcode"], cercle["pairs"]) == ("ZZ0101", 1)  # one pair, though it spans two communes
    assert cercle["women_shared"] == pytest.approx(communes["women_shared"].sum())
    assert cercle_pairs.iloc[0]["units"] == "Cercle de Grille"
    assert data.ancestors(1, edition_slug=GRID)[SE] == ("ZZ01", "Région Test")
