"""Coordinated and uncoordinated overlaps, on the hand-made grid where the answers are known in advance.

The world: organisations A and B both work on GBV in the north-west commune (ZZ010101): A on its west half, B on
the whole commune, so they overlap on the west half (500 women). C works on GBV in the north-east commune with B.
An accepted partnership of A and B covering ZZ010101 (or its cercle) on GBV makes exactly their overlap coordinated;
a declined, pending or ended one changes nothing.
"""
import json

import pytest

from geo_backend.analytics import overlaps, selectors
from geo_backend.collaboration.models import Partnership
from geo_backend.collaboration.services import partnerships as services
from geo_backend.organisations.access import VISITOR, audience_for
from geo_backend.regions.models import AdminUnit
from geo_backend.taxonomy.models import Theme
from tests import factories
from tests.analytics.grid_setup import NW_WEST_HALF, NW_WHOLE, WOMEN_PER_COMMUNE, declared, grid_edition, rectangle

pytestmark = pytest.mark.django_db

NE_WHOLE = rectangle(-6.0, 13.5, -5.5, 14.0)


@pytest.fixture
def grid_world(tmp_path):
    edition = grid_edition(tmp_path)
    people = {name: factories.user() for name in ("a", "b", "c")}
    orgs = {name: factories.organisation(f"Organisation {name.upper()}", editor=people[name]) for name in people}
    declared(orgs["a"], NW_WEST_HALF, edition=edition, theme="vbg")
    declared(orgs["b"], NW_WHOLE, edition=edition, theme="vbg-psychosocial")  # a sub-domain counts for its domain
    declared(orgs["b"], NE_WHOLE, edition=edition, theme="vbg")
    declared(orgs["c"], NE_WHOLE, edition=edition, theme="vbg")
    return edition, people, orgs


def report(edition, level=3):
    return overlaps.overlaps(VISITOR, selectors.CoverageQuery(edition=edition, level=level))


def pair_of(report_, first, second) -> dict:
    (pair,) = [p for p in report_["pairs"]
               if {i["organisation"]["id"] for i in p["interventions"]} == {first.id, second.id}]
    return pair


def propose(people, orgs, *, areas=("ZZ010101",), themes=("vbg",), proposer="a", partner="b", edition=None):
    units = list(AdminUnit.objects.filter(pcode__in=areas, edition=edition))
    return services.partnership_propose(
        audience=audience_for(people[proposer]), proposer=orgs[proposer], partner=orgs[partner], role="coordination",
        areas=units, themes=list(Theme.objects.filter(code__in=themes)), message="Travaillons ensemble")


def answer(partnership, person, accept=True):
    act = services.partnership_accept if accept else services.partnership_decline
    return act(audience=audience_for(person), partnership=partnership, expected_version=partnership.version)


def test_without_partnership_every_overlap_is_uncoordinated(grid_world):
    edition, _people, orgs = grid_world
    found = report(edition)
    assert len(found["pairs"]) == 2
    ab = pair_of(found, orgs["a"], orgs["b"])
    assert ab["coordinated"] is False
    assert ab["women_shared"] == pytest.approx(WOMEN_PER_COMMUNE / 2, rel=1e-3)
    assert [(u["pcode"], u["coordinated"]) for u in ab["units"]] == [("ZZ010101", False)]
    assert {e["pcode"]: e["uncoordinated_pairs"] for e in found["by_unit"]} == {"ZZ010101": 1, "ZZ010102": 1}


def test_an_accepted_partnership_makes_exactly_its_overlap_coordinated(grid_world):
    edition, people, orgs = grid_world
    answer(propose(people, orgs, edition=edition), people["b"])
    found = report(edition)
    assert pair_of(found, orgs["a"], orgs["b"])["coordinated"] is True
    assert pair_of(found, orgs["b"], orgs["c"])["coordinated"] is False  # B and C have no partnership
    units = {e["pcode"]: (e["pairs"], e["uncoordinated_pairs"], e["coordinated"]) for e in found["by_unit"]}
    assert units == {"ZZ010101": (1, 0, True), "ZZ010102": (1, 1, False)}
    organisations = {tuple(sorted(o["id"] for o in e["organisations"])): e["coordinated"]
                     for e in found["by_organisations"]}
    assert organisations == {tuple(sorted([orgs["a"].id, orgs["b"].id])): True,
                             tuple(sorted([orgs["b"].id, orgs["c"].id])): False}
    # Summed up to the cercle, the cercle holds one coordinated and one uncoordinated pair.
    (cercle,) = report(edition, level=2)["by_unit"]
    assert (cercle["pairs"], cercle["uncoordinated_pairs"], cercle["coordinated"]) == (2, 1, False)


def test_a_partnership_over_the_cercle_covers_its_communes(grid_world):
    edition, people, orgs = grid_world
    answer(propose(people, orgs, areas=("ZZ0101",), edition=edition), people["b"])
    assert pair_of(report(edition), orgs["a"], orgs["b"])["coordinated"] is True


@pytest.mark.parametrize(("areas", "themes"), [(("ZZ010102",), ("vbg",)), (("ZZ010101",), ("acces-justice",))],
                         ids=["another commune", "another theme"])
def test_a_partnership_elsewhere_or_on_another_theme_coordinates_nothing(grid_world, areas, themes):
    edition, people, orgs = grid_world
    answer(propose(people, orgs, areas=areas, themes=themes, edition=edition), people["b"])
    assert pair_of(report(edition), orgs["a"], orgs["b"])["coordinated"] is False


def test_a_declined_or_pending_partnership_changes_no_analytics(grid_world):
    edition, people, orgs = grid_world
    query = selectors.CoverageQuery(edition=edition, level=3)
    before = (report(edition), selectors.coverage_by_unit(VISITOR, query), selectors.gaps(VISITOR, query))
    pending = propose(people, orgs, edition=edition)
    assert (report(edition), selectors.coverage_by_unit(VISITOR, query), selectors.gaps(VISITOR, query)) == before
    answer(pending, people["b"], accept=False)
    assert Partnership.objects.get(pk=pending.pk).status == "declined"
    assert (report(edition), selectors.coverage_by_unit(VISITOR, query), selectors.gaps(VISITOR, query)) == before


def test_ending_a_partnership_makes_the_overlap_uncoordinated_again(grid_world):
    edition, people, orgs = grid_world
    accepted = answer(propose(people, orgs, edition=edition), people["b"])
    assert pair_of(report(edition), orgs["a"], orgs["b"])["coordinated"] is True
    services.partnership_end(audience=audience_for(people["a"]), partnership=accepted,
                             expected_version=accepted.version)
    assert pair_of(report(edition), orgs["a"], orgs["b"])["coordinated"] is False


def test_the_overlaps_api_says_which_overlaps_are_coordinated(grid_world, client):
    edition, people, orgs = grid_world
    url = f"/api/v1/analytics/overlaps/?edition={edition.slug}&level=3&format=json"
    assert {p["coordinated"] for p in client.get(url).json()["pairs"]} == {False}
    answer(propose(people, orgs, edition=edition), people["b"])
    body = client.get(url).json()
    coordinated = {frozenset(i["organisation"]["id"] for i in p["interventions"]): p["coordinated"]
                   for p in body["pairs"]}
    assert coordinated == {frozenset({orgs["a"].id, orgs["b"].id}): True,
                           frozenset({orgs["b"].id, orgs["c"].id}): False}
    assert {u["pcode"]: u["coordinated"] for u in body["by_unit"]} == {"ZZ010101": True, "ZZ010102": False}
    rows = client.get(url.replace("format=json", "format=csv")).content.decode().splitlines()
    assert rows[0].split(",")[-1] == "coordinated"
    assert sorted(row.split(",")[-1] for row in rows[2:]) == ["False", "True"]
    assert json.loads(json.dumps(body))  # plain JSON, no Python objects left
