"""Coverage, gaps and overlaps on the hand-made grid, where the answers are known in advance."""
import datetime as dt

import pytest

from geo_backend.analytics import overlaps, selectors
from geo_backend.organisations.access import VISITOR, Audience
from geo_backend.zones.models import Intervention
from geo_backend.zones.selectors import InterventionFilters
from tests import factories

from .grid_setup import NW_WEST_HALF, NW_WHOLE, WOMEN_PER_COMMUNE, declared, grid_edition, rectangle

pytestmark = pytest.mark.django_db
COORDINATOR_VIEW = Audience(user_id=-1, is_admin=True)


def by_pcode(rows):
    return {row["pcode"]: row for row in rows}


def test_a_zone_covering_half_a_commune_covers_half_its_women(tmp_path):
    edition = grid_edition(tmp_path)
    declared(factories.organisation(), NW_WEST_HALF, edition=edition)
    communes = by_pcode(selectors.coverage_by_unit(VISITOR, selectors.CoverageQuery(edition=edition, level=3)))
    assert communes["ZZ010101"]["women_covered"] == pytest.approx(WOMEN_PER_COMMUNE / 2, rel=1e-3)
    assert communes["ZZ010101"]["coverage_share"] == pytest.approx(0.5, rel=1e-3)
    assert communes["ZZ010101"]["organisations"] == 1
    assert communes["ZZ010102"]["women_covered"] == 0 and communes["ZZ010102"]["organisations"] == 0
    (cercle,) = selectors.coverage_by_unit(VISITOR, selectors.CoverageQuery(edition=edition, level=2))
    assert cercle["women_covered"] == pytest.approx(500, rel=1e-3) and cercle["women"] == 4 * WOMEN_PER_COMMUNE
    assert cercle["women_per_organisation"] == 4 * WOMEN_PER_COMMUNE


def test_overlapping_zones_count_once_in_coverage(tmp_path):
    edition = grid_edition(tmp_path)
    declared(factories.organisation(), NW_WEST_HALF, edition=edition)
    declared(factories.organisation(), NW_WHOLE, edition=edition)
    communes = by_pcode(selectors.coverage_by_unit(VISITOR, selectors.CoverageQuery(edition=edition, level=3)))
    assert communes["ZZ010101"]["women_covered"] == pytest.approx(WOMEN_PER_COMMUNE, rel=1e-3)
    assert communes["ZZ010101"]["organisations"] == 2


def test_gaps_are_the_uncovered_units_most_women_first(tmp_path):
    edition = grid_edition(tmp_path)
    declared(factories.organisation(), NW_WEST_HALF, edition=edition)
    gaps = selectors.gaps(VISITOR, selectors.CoverageQuery(edition=edition, level=3))
    assert [g["pcode"] for g in gaps] == ["ZZ010102", "ZZ010103", "ZZ010104"]


def test_theme_filter_keeps_only_that_theme(tmp_path):
    edition = grid_edition(tmp_path)
    declared(factories.organisation(), NW_WHOLE, edition=edition, theme="education-filles")
    declared(factories.organisation(), NW_WEST_HALF, edition=edition, theme="vbg-psychosocial")

    def covered(themes):
        query = selectors.CoverageQuery(edition=edition, level=3, filters=InterventionFilters(themes=themes))
        return {pcode: row["women_covered"] for pcode, row in by_pcode(selectors.coverage_by_unit(VISITOR, query))
                .items()}

    # Every commune is listed, covered or not; only the vbg zone (a sub-theme of vbg) counts for vbg.
    vbg = covered(["vbg"])
    assert sorted(vbg) == ["ZZ010101", "ZZ010102", "ZZ010103", "ZZ010104"]
    assert vbg["ZZ010101"] == pytest.approx(WOMEN_PER_COMMUNE / 2, rel=1e-3)
    assert covered(["education-filles"])["ZZ010101"] == pytest.approx(WOMEN_PER_COMMUNE, rel=1e-3)
    assert covered(["paix-securite"]) == dict.fromkeys(vbg, 0)


def test_overlap_of_two_organisations_on_the_same_theme(tmp_path):
    edition = grid_edition(tmp_path)
    first = declared(factories.organisation(), NW_WEST_HALF, edition=edition, theme="vbg-psychosocial",
                     start_date=dt.date(2024, 1, 1), end_date=dt.date(2025, 6, 30))
    second = declared(factories.organisation(), NW_WHOLE, edition=edition, theme="vbg", start_date=dt.date(2025, 1, 1))
    declared(factories.organisation(), NW_WHOLE, edition=edition, theme="education-filles")  # other theme
    report = overlaps.overlaps(VISITOR, selectors.CoverageQuery(edition=edition, level=3))
    (pair,) = report["pairs"]
    assert {i["id"] for i in pair["interventions"]} == {first.id, second.id}
    assert pair["themes"] == ["vbg"]
    assert pair["women_shared"] == pytest.approx(WOMEN_PER_COMMUNE / 2, rel=1e-3)
    assert pair["shared_period"] == {"start": dt.date(2025, 1, 1), "end": dt.date(2025, 6, 30)}
    assert report["by_unit"][0]["pcode"] == "ZZ010101"


def test_periods_that_do_not_meet_are_not_an_overlap(tmp_path):
    edition = grid_edition(tmp_path)
    ended = declared(factories.organisation(), NW_WHOLE, edition=edition, start_date=dt.date(2020, 1, 1),
                     end_date=dt.date(2020, 12, 31))
    later = declared(factories.organisation(), NW_WHOLE, edition=edition, start_date=dt.date(2022, 1, 1))
    query = selectors.CoverageQuery(edition=edition, level=3)
    assert overlaps.overlaps(VISITOR, query)["pairs"] == []
    # The same two zones do overlap once their periods meet: the empty answer above is about the periods.
    Intervention.objects.filter(pk=ended.pk).update(end_date=dt.date(2022, 6, 30))
    (pair,) = overlaps.overlaps(VISITOR, query)["pairs"]
    assert {i["id"] for i in pair["interventions"]} == {ended.id, later.id}


def test_visitors_count_coarse_zones_as_whole_communes_and_ignore_restricted_ones(tmp_path):
    edition = grid_edition(tmp_path)
    declared(factories.organisation(), NW_WEST_HALF, edition=edition, sensitivity="coarse")
    declared(factories.organisation(), rectangle(-6.0, 13.0, -5.75, 13.5), edition=edition, sensitivity="restricted")
    query = selectors.CoverageQuery(edition=edition, level=3)
    visitor = by_pcode(selectors.coverage_by_unit(VISITOR, query))
    full = by_pcode(selectors.coverage_by_unit(COORDINATOR_VIEW, query))
    assert visitor["ZZ010101"]["women_covered"] == pytest.approx(WOMEN_PER_COMMUNE, rel=1e-6)  # whole commune
    assert full["ZZ010101"]["women_covered"] == pytest.approx(WOMEN_PER_COMMUNE / 2, rel=1e-3)  # exact zone
    assert visitor["ZZ010104"]["women_covered"] == 0  # the restricted one is invisible to visitors
    assert full["ZZ010104"]["women_covered"] == pytest.approx(WOMEN_PER_COMMUNE / 2, rel=1e-3)


def test_coverage_change_between_two_dates(tmp_path):
    edition = grid_edition(tmp_path)
    declared(factories.organisation(), NW_WHOLE, edition=edition, start_date=dt.date(2023, 1, 1),
             end_date=dt.date(2024, 12, 31))
    changes = selectors.coverage_change(VISITOR, selectors.CoverageQuery(edition=edition, level=3),
                                        before=dt.date(2024, 6, 1), after=dt.date(2025, 6, 1))
    assert [(c["pcode"], round(c["women_lost"])) for c in changes] == [("ZZ010101", WOMEN_PER_COMMUNE)]


def test_donors_count_restricted_interventions_without_seeing_the_records(tmp_path):
    from geo_backend.zones.selectors import interventions_visible

    edition = grid_edition(tmp_path)
    restricted = declared(factories.organisation(), NW_WHOLE, edition=edition, sensitivity="restricted")
    donor = Audience(user_id=-2, is_donor=True)
    communes = by_pcode(selectors.coverage_by_unit(donor, selectors.CoverageQuery(edition=edition, level=3)))
    assert communes["ZZ010101"]["women_covered"] == pytest.approx(WOMEN_PER_COMMUNE, rel=1e-3)
    public = declared(factories.organisation(), NW_WEST_HALF, edition=edition)
    # The donor reads the public record but not the restricted one, which it only counts.
    assert list(interventions_visible(donor)) == [public]
    assert set(interventions_visible(donor, for_analytics=True)) == {public, restricted}
