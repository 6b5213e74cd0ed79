"""The dashboard's Chevauchements view: the "coordinated" column and the "only uncoordinated" filter, checked on the
hand-made grid (known answers) and through the view's callback; editors get a link to propose a partnership."""
import json

import pytest

from dashboards import data, figures
from dashboards.state import Filters
from geo_backend.collaboration.services import partnerships as services
from geo_backend.organisations.access import VISITOR, audience_for
from geo_backend.regions.models import AdminUnit
from geo_backend.taxonomy.models import Theme
from tests import factories
from tests.analytics.grid_setup import WOMEN_PER_COMMUNE, declared, grid_edition, rectangle
from tests.dashboards.drawn import table
from tests.dashboards.test_dashboard import call, filter_values, wsgi_client  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
GRID = "grille-test"
NORTH_HALF_OF_NW_AND_NE = rectangle(-6.5, 13.75, -5.5, 14.0)  # half of each northern commune: 500 women each


@pytest.fixture
def grid_world(tmp_path):
    """A and B overlap on GBV over the northern half of the two northern communes (ZZ010101 and ZZ010102)."""
    data.clear_caches()
    edition = grid_edition(tmp_path)
    people = {name: factories.user() for name in ("a", "b")}
    orgs = {name: factories.organisation(f"Organisation {name.upper()}", editor=people[name]) for name in people}
    for name in orgs:
        declared(orgs[name], NORTH_HALF_OF_NW_AND_NE, edition=edition, theme="vbg")
    yield edition, people, orgs
    data.clear_caches()


def accept_partnership(edition, people, orgs, pcodes):
    proposal = services.partnership_propose(
        audience=audience_for(people["a"]), proposer=orgs["a"], partner=orgs["b"], role="coordination",
        areas=list(AdminUnit.objects.filter(edition=edition, pcode__in=pcodes)),
        themes=list(Theme.objects.filter(code="vbg")))
    services.partnership_accept(audience=audience_for(people["b"]), partnership=proposal,
                                expected_version=proposal.version)


def test_only_uncoordinated_keeps_the_communes_no_partnership_covers(grid_world):
    edition, people, orgs = grid_world
    filters = Filters(level=3, themes=("vbg",))
    (pair,) = data.overlaps_frames(VISITOR, filters, edition_slug=GRID)[0].to_dict("records")
    assert not pair["coordinated"] and pair["women_shared"] == pytest.approx(WOMEN_PER_COMMUNE, rel=1e-3)
    accept_partnership(edition, people, orgs, ["ZZ010101"])  # covers the north-west commune only
    (pair,) = data.overlaps_frames(VISITOR, filters, edition_slug=GRID)[0].to_dict("records")
    assert not pair["coordinated"]  # still uncoordinated in the north-east
    pairs, by_unit = data.overlaps_frames(VISITOR, filters, edition_slug=GRID, uncoordinated_only=True)
    (pair,) = pairs.to_dict("records")
    assert pair["units"] == "Commune Nord-Est"
    assert pair["women_shared"] == pytest.approx(WOMEN_PER_COMMUNE / 2, rel=1e-3)
    assert by_unit["pcode"].tolist() == ["ZZ010102"]
    accept_partnership(edition, people, orgs, ["ZZ010102"])
    pairs, by_unit = data.overlaps_frames(VISITOR, filters, edition_slug=GRID, uncoordinated_only=True)
    assert pairs.empty and by_unit.empty
    (pair,) = data.overlaps_frames(VISITOR, filters, edition_slug=GRID)[0].to_dict("records")
    assert pair["coordinated"]


def test_an_editor_gets_a_prefilled_proposal_link_others_none(grid_world):
    edition, people, orgs = grid_world
    filters = Filters(level=3, themes=("vbg",))
    (visitor_pair,) = data.overlaps_frames(VISITOR, filters, edition_slug=GRID)[0].to_dict("records")
    assert visitor_pair["propose_url"] == ""
    pairs, _ = data.overlaps_frames(audience_for(people["b"]), filters, edition_slug=GRID)
    url = pairs.iloc[0]["propose_url"]
    assert url.startswith("/espace/partenariats/proposer/?")
    assert f"organisation={orgs['b'].id}" in url and f"partenaire={orgs['a'].id}" in url
    assert "communes=ZZ010101,ZZ010102" in url and "themes=vbg" in url
    table = figures.overlaps_table(pairs)
    assert table.frame.iloc[0]["propose"] == url and table.links == {"propose": "Proposer un partenariat"}
    assert table.frame.iloc[0]["coordinated"] == "non"
    assert "propose" not in table.labelled().columns.tolist()  # the link stays on screen, out of the exports
    assert "Coordonné (partenariat accepté)" in table.labelled().columns.tolist()


@pytest.mark.realdata
def test_the_view_filters_the_coordinated_pairs_out(wsgi_client, mali):  # noqa: F811 - the fixture
    editors = {name: factories.user() for name in ("a", "b", "c")}
    orgs = {name: factories.organisation(f"Association {name.upper()} du test", editor=editors[name])
            for name in editors}
    for name in orgs:
        factories.intervention_in_units(orgs[name], units=("ML040224",), theme="vbg")
    proposal = services.partnership_propose(
        audience=audience_for(editors["a"]), proposer=orgs["a"], partner=orgs["b"], role="coordination",
        areas=list(AdminUnit.objects.filter(pcode="ML040224", edition__is_default=True)),
        themes=list(Theme.objects.filter(code="vbg")))
    services.partnership_accept(audience=audience_for(editors["b"]), partnership=proposal,
                                expected_version=proposal.version)

    def rows(toggle):
        response, _size = call(wsgi_client, "..ovl-map.figure", filter_values(level=3, themes=["vbg"]),
                               extra={"ovl-uncoordinated": toggle})
        header, shown = table(response["ovl-table"]["children"])
        a, b, coordinated = (header.index(label) for label in ("Organisation A", "Organisation B",
                                                                 "Coordonné (partenariat accepté)"))
        return {(r[a], r[b]): r[coordinated] for r in shown}, response["ovl-table"]

    every, _table = rows([])
    assert every == {("Association A du test", "Association B du test"): "oui",
                     ("Association A du test", "Association C du test"): "non",
                     ("Association B du test", "Association C du test"): "non"}
    uncoordinated, drawn = rows(["non-coordonnes"])
    assert set(uncoordinated) == {("Association A du test", "Association C du test"),
                                  ("Association B du test", "Association C du test")}
    assert "/espace/partenariats/proposer/" not in json.dumps(drawn)  # a visitor gets no proposal link
