"""The real Mali files: counts, hierarchy, population, P-code schemes, search. Loaded once per session."""
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from geo_backend.regions import selectors
from geo_backend.regions.models import AdminUnit, Locality, PcodeAlias, Population

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


def test_every_layer_is_loaded(mali):
    counts = {level: AdminUnit.objects.filter(edition=mali, level=level).count() for level in range(5)}
    assert counts == {0: 1, 1: 9, 2: 50, 3: 701, 4: 71}
    assert Locality.objects.filter(edition=mali).count() == 18769
    assert Population.objects.filter(unit__edition=mali, unit__level=3, year=2017).count() == 701


def test_population_adds_up_to_the_national_total(mali):
    country = Population.objects.get(unit__edition=mali, unit__level=0, year=2017)
    assert (country.female, country.total) == (9_509_945, 18_864_526)
    segou = Population.objects.get(unit__edition=mali, unit__pcode="ML04", year=2017)
    assert segou.total == 3_045_937  # the COD 2015 hierarchy (SOURCES.md), Niantaga in Ségou


def test_a_second_run_changes_nothing(mali):
    for command in ("load_boundaries", "load_population", "load_localities"):
        out = io.StringIO()
        call_command(command, quiet_details=True, stdout=out)
        lines = [line for line in out.getvalue().splitlines() if "created" in line]
        assert lines, out.getvalue()
        assert all("created 0, updated 0," in line for line in lines), out.getvalue()


def test_every_commune_lies_in_its_cercle_and_region(mali):
    # Share of each commune's area outside its parent, and outside its grandparent, on the geography.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.pcode,
                   ST_Area(ST_Difference(c.geom, p.geom)::geography) / ST_Area(c.geom::geography),
                   ST_Area(ST_Difference(c.geom, g.geom)::geography) / ST_Area(c.geom::geography),
                   left(c.pcode, 6) = p.pcode AND left(c.pcode, 4) = g.pcode
            FROM regions_adminunit c
            JOIN regions_adminunit p ON p.id = c.parent_id
            JOIN regions_adminunit g ON g.id = p.parent_id
            WHERE c.edition_id = %s AND c.level = 3
            """,
            [mali.id],
        )
        rows = cursor.fetchall()
    assert len(rows) == 701
    assert [pcode for pcode, outside_cercle, _, _ in rows if outside_cercle > 0.001] == []
    assert [pcode for pcode, _, outside_region, _ in rows if outside_region > 0.001] == []
    assert all(prefix_ok for *_, prefix_ok in rows)


def test_a_point_in_bamako_finds_its_commune(mali):
    # Place de l'Indépendance area, Commune III of Bamako.
    collection = selectors.areas_feature_collection(edition=mali, level=3, contains=(-7.9935, 12.6470))
    features = json.loads(collection)["features"]
    assert [f["properties"]["pcode"][:6] for f in features] == ["ML0901"]
    assert features[0]["properties"]["name"].startswith("Commune")


@pytest.mark.parametrize("query", ["segou", "Ségou", "SEGOU", "Région de Ségou"])
def test_search_is_accent_case_and_prefix_insensitive(mali, query):
    features = json.loads(selectors.areas_feature_collection(edition=mali, level=1, q=query))["features"]
    assert features[0]["properties"]["pcode"] == "ML04"


def test_spelling_variant_finds_the_unit(mali):
    features = json.loads(selectors.areas_feature_collection(edition=mali, level=1, q="Koulikoro"))["features"]
    assert features[0]["properties"]["pcode"] == "ML02"  # stored as "Koulikouro" in the source


def test_the_two_pcode_schemes_resolve_to_different_cercles(mali):
    cod = selectors.area_detail(edition=mali, pcode="ML0101")
    older = selectors.area_detail(edition=mali, pcode="ML0101", scheme="hdx2017")
    assert cod["properties"]["name"] == "Kayes"
    assert older["properties"]["name"].startswith("Bafoul")
    assert PcodeAlias.objects.filter(edition=mali, scheme="hdx2017", unit__level=3).count() == 701


def test_localities_have_classes_and_communes(mali):
    classes = dict(
        Locality.objects.filter(edition=mali).values_list("place_class").annotate(n=Count("id"))
    )
    assert classes == {1: 1, 2: 8, 3: 41, 4: 650, 5: 18069}
    assert Locality.objects.filter(edition=mali, commune__isnull=True).count() == 0


def test_loads_say_what_they_do_while_they_do_it_and_are_quiet_at_verbosity_0(mali):
    out = io.StringIO()
    call_command("load_population", "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "[1/2] population_communes"
    assert any(line.strip().startswith("P-codes of level 3 in the hdx2017 scheme") for line in lines)
    assert lines.index("[2/2] population_cercles") > 3
    quiet = io.StringIO()
    call_command("load_population", "--dry-run", verbosity=0, stdout=quiet)
    assert quiet.getvalue().splitlines() == ["Dry run: nothing was written."]
