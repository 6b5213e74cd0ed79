"""The site's search (areas, localities) and the zone picker find places as imports do."""
import pytest

from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


@pytest.mark.parametrize(("q", "level", "pcode"), [
    ("Sɛgu", 2, "ML0402"),  # Bambara spelling
    ("Tombuktu", 1, "ML06"),  # "ou" written "u", "c" written "k"
    ("Kulikoro", 2, "ML0201"),
    ("Commune rurale de Markala", 3, "ML040216"),
])
def test_area_search_finds_spelling_variants(mali, q, level, pcode):
    response = factories.api_client().get("/api/v1/areas/", {"q": q, "level": level})
    assert response.status_code == 200
    assert pcode in [f["id"] for f in response.json()["features"]]


def test_locality_search_finds_spelling_variants(mali):
    response = factories.api_client().get("/api/v1/localities/", {"q": "Katibugu"})
    assert "Katibougou" in [place["name"] for place in response.json()["results"]]
