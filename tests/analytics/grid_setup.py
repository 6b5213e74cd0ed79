"""A hand-made world with known answers: the test grid (4 communes of 0.5°, 1,000 women each) and helpers."""
from geo_backend.organisations.access import Audience
from geo_backend.regions.models import AdminUnit, Edition, Population
from geo_backend.regions.services import edition_upsert
from geo_backend.taxonomy.models import Theme
from geo_backend.zones import services as zone_services
from geo_backend.zones.models import Intervention
from tests import factories
from tests.regions import grid

WOMEN_PER_COMMUNE = 1000
X0, Y0 = grid.ORIGIN


def grid_edition(tmp_path) -> Edition:
    edition, _ = edition_upsert(slug="grille-test", name="Grille de test", pcode_scheme="test")
    grid.load_grid(tmp_path, edition)
    for commune in AdminUnit.objects.filter(edition=edition, level=3):
        Population.objects.create(unit=commune, year=2017, female=WOMEN_PER_COMMUNE, male=WOMEN_PER_COMMUNE,
                                  total=2 * WOMEN_PER_COMMUNE, source="test")
    return edition


def rectangle(x_min, y_min, x_max, y_max) -> dict:
    return {"type": "Polygon", "coordinates": [[[x_min, y_min], [x_max, y_min], [x_max, y_max], [x_min, y_max],
                                                [x_min, y_min]]]}


# The north-west commune spans X0..X0+0.5, Y0+0.5..Y0+1.
NW_WEST_HALF = rectangle(X0, Y0 + 0.5, X0 + 0.25, Y0 + 1.0)
NW_WHOLE = rectangle(X0, Y0 + 0.5, X0 + 0.5, Y0 + 1.0)


def declared(organisation, geometry, *, edition, theme="vbg", sensitivity="public", state="validated",
             **fields) -> Intervention:
    admin = Audience(user_id=factories.user(superuser=True).pk, is_admin=True)
    intervention = zone_services.intervention_create(
        audience=admin, organisation=organisation, fields={"title": f"Test {theme}", **fields},
        relations={"themes": [Theme.objects.get(code=theme)]})
    zone_services.zone_create(audience=admin, intervention=intervention, method="drawn", geometry=geometry,
                              edition_slug=edition.slug)
    Intervention.objects.filter(pk=intervention.pk).update(sensitivity=sensitivity, validation_state=state)
    intervention.refresh_from_db()
    return intervention
