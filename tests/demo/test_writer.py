"""manage.py seed_demo and the writer: fictitious, labelled, reproducible demo data in PostGIS, and its accounts."""
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from geo_backend.common.errors import DomainError
from geo_backend.demo import selectors, services
from geo_backend.demo.accounts import DEMO_USERNAMES
from geo_backend.organisations.access import DONOR_GROUP, audience_for
from geo_backend.organisations.models import Contact, Membership, Organisation, OrganisationRole
from geo_backend.regions.models import Edition
from geo_backend.taxonomy.models import Funder
from geo_backend.zones.models import Intervention, Zone, ZoneCommune

SMALL = ["--organisations", "8", "--zones", "20"]
# Real organisations' acronyms and names the demo must never use (DOMAIN.md: never invent activities for real
# organisations). Not exhaustive: the generator only uses invented word lists; this catches a slip.
REAL_NAMES = ["REJEFPO", "WILDAF", "APDF", "AJM", "CAFO", "AMSOPT", "ONU Femmes", "Jeunes Femmes Leaders"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_allowed(settings, mali):
    settings.MUSOYA_DEMO_ALLOWED = True


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", "--zones-only", *args, stdout=out)
    return out.getvalue()


def demo_rows() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "interventions": Intervention.objects.count(),
        "zones": Zone.objects.count(),
        "funders": Funder.objects.count(),
        "memberships": Membership.objects.count(),
        "users": get_user_model().objects.count(),
    }


def snapshot() -> list[tuple]:
    """Titles and exact zone geometries, in creation order."""
    with connection.cursor() as cursor:
        cursor.execute("""SELECT i.title, z.method, z.label, encode(ST_AsBinary(z.geom), 'hex')
                          FROM zones_zone z JOIN zones_intervention i ON i.id = z.intervention_id
                          WHERE i.is_demo ORDER BY z.id""")
        return cursor.fetchall()


def test_seed_creates_only_labelled_fictitious_records(demo_allowed):
    before = demo_rows()
    output = seed(*SMALL)

    organisations = Organisation.objects.filter(is_demo=True)
    networks = organisations.filter(kind__in=Organisation.NETWORK_KINDS)
    assert organisations.count() == 8 + 2 and networks.count() == 2
    assert Zone.objects.count() - before["zones"] == Zone.objects.filter(intervention__is_demo=True).count() == 20
    # Nothing was created that is not marked as demo.
    assert Organisation.objects.filter(is_demo=False).count() == before["organisations"]
    assert Intervention.objects.filter(is_demo=False).count() == before["interventions"]
    assert Funder.objects.filter(is_demo=False).count() == before["funders"]
    names = list(organisations.values_list("name", flat=True)) + list(
        Funder.objects.filter(is_demo=True).values_list("name", flat=True))
    assert names and all(name.endswith(" (exemple fictif)") for name in names)
    for name in names:
        for real in REAL_NAMES:
            assert not re.search(rf"\b{re.escape(real)}\b", name, re.IGNORECASE), name
    assert set(organisations.values_list("status", flat=True)) == {"active"}
    assert all(1995 <= year <= 2022 for year in organisations.values_list("founded_year", flat=True))
    assert not organisations.exclude(acronym="").exists()
    assert not organisations.filter(head_office__isnull=True).exists()

    interventions = Intervention.objects.filter(is_demo=True)
    assert not interventions.exclude(organisation__is_demo=True).exists()
    assert all("Données de démonstration fictives" in d for d in interventions.values_list("description", flat=True))
    assert not interventions.filter(themes__isnull=True).exists()
    assert set(Zone.objects.filter(intervention__is_demo=True).values_list("method", flat=True)) == {
        "picked", "buffer", "drawn"}
    assert interventions.filter(validation_state="rejected").count() == 1
    assert not interventions.filter(validation_state="rejected", rejection_reason="").exists()

    # Contacts of every visibility, fictitious numbers and addresses only.
    contacts = Contact.objects.filter(organisation__is_demo=True)
    assert set(contacts.values_list("visibility", flat=True)) == {"public", "members", "private"}
    for kind, value in contacts.filter(kind__in=["phone", "email"]).values_list("kind", "value"):
        assert value.startswith("+223 00 00 ") if kind == "phone" else value.endswith("@example.org")

    # Memberships: accepted ones, one organisation in two networks or more, one application awaiting an answer.
    memberships = Membership.objects.filter(network__is_demo=True)
    assert memberships.filter(status="accepted").count() >= 8
    assert memberships.filter(status="applied").count() == 1
    assert "exemple fictif" in output and "musoya-demo" in output and "zones par méthode" in output


def test_same_seed_gives_same_titles_and_geometries(demo_allowed):
    seed(*SMALL, "--seed", "7")
    first = snapshot()
    seed(*SMALL, "--seed", "7", "--reset")
    assert snapshot() == first
    assert len(first) == 20
    seed(*SMALL, "--seed", "8", "--reset")
    assert snapshot() != first


def atom_zone_ids() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT unnest(zone_ids) FROM analytics_coverageatom")
        return {row[0] for row in cursor.fetchall()}


def test_every_zone_has_commune_shares_and_coverage_atoms(demo_allowed):
    seed(*SMALL)
    zones = Zone.objects.filter(intervention__is_demo=True)
    assert not zones.filter(commune_shares__isnull=True).exists()
    assert not ZoneCommune.objects.filter(zone__in=zones, share__lte=0).exists()
    assert all(area > 0 for area in zones.values_list("area_km2", flat=True))
    # The atoms were computed (once per commune, after all zones were written) and list every zone that covers part
    # of a commune; a zone covering a whole commune is marked so on its piece instead.
    partial = set(zones.filter(commune_shares__covers_commune=False).values_list("id", flat=True))
    assert partial and partial <= atom_zone_ids()
    whole = ZoneCommune.objects.filter(zone__in=zones, covers_commune=True)
    assert whole.exists() and not whole.exclude(share__gte=1).exists()


def test_zones_are_weighted_to_the_populated_south(demo_allowed, mali):
    seed("--organisations", "8", "--zones", "40")
    with connection.cursor() as cursor:
        cursor.execute("""SELECT avg((ST_Y(ST_Centroid(z.geom)) < 15.5)::int) FROM zones_zone z
                          JOIN zones_intervention i ON i.id = z.intervention_id WHERE i.is_demo""")
        (zones_south,) = cursor.fetchone()
        cursor.execute("""SELECT ST_Area(ST_Intersection(geom, ST_MakeEnvelope(-13, 9, 5, 15.5, 4326))::geography)
                                 / ST_Area(geom::geography)
                          FROM regions_adminunit WHERE edition_id = %s AND level = 0""", [mali.id])
        (area_south,) = cursor.fetchone()
    assert 0 < area_south < 1
    assert zones_south > area_south


def test_refuses_when_demo_not_allowed_and_writes_nothing(settings, mali):
    settings.MUSOYA_DEMO_ALLOWED = False
    before = demo_rows()
    with pytest.raises(CommandError, match="MUSOYA_DEMO_ALLOWED"):
        seed(*SMALL)
    del settings.MUSOYA_DEMO_ALLOWED  # absent counts as not allowed
    with pytest.raises(CommandError, match="MUSOYA_DEMO_ALLOWED"):
        seed(*SMALL)
    assert demo_rows() == before


def test_refuses_without_boundaries(demo_allowed):
    Edition.objects.update(is_default=False)  # no default edition: as if nothing were loaded
    before = demo_rows()
    with pytest.raises(CommandError, match="bootstrap"):
        seed(*SMALL)
    assert demo_rows() == before


def test_second_run_without_reset_creates_nothing(demo_allowed):
    seed(*SMALL)
    before = demo_rows()
    output = seed(*SMALL, "--seed", "9")
    assert demo_rows() == before
    assert "déjà présentes" in output and "demo-coordinatrice" in output


def test_demo_accounts_have_their_roles(demo_allowed):
    seed(*SMALL)
    users = {user.username: user for user in get_user_model().objects.filter(username__in=DEMO_USERNAMES)}
    assert set(users) == set(DEMO_USERNAMES)
    assert all(user.check_password("musoya-demo") for user in users.values())

    editor = audience_for(users["demo-editrice"])
    (organisation_id,) = editor.editor_of
    assert not editor.coordinator_of and not editor.is_admin
    organisation = Organisation.objects.get(pk=organisation_id)
    assert organisation.is_demo and not organisation.is_network

    coordinator = audience_for(users["demo-coordinatrice"])
    (network_id,) = coordinator.coordinator_of
    assert coordinator.editor_of == {network_id}
    assert Membership.objects.filter(network_id=network_id, member=organisation, status="accepted").exists()
    assert organisation.id in coordinator.coordinated_members
    # Something to try: an application to answer, and a member's declaration to validate.
    assert Membership.objects.filter(network_id=network_id, status="applied").exists()
    assert Intervention.objects.filter(organisation_id__in=coordinator.coordinated_members,
                                       validation_state="submitted").exists()

    admin = users["demo-admin"]
    assert admin.is_staff and admin.is_superuser and audience_for(admin).is_admin
    # Registering organisations through the services must not leave the administrator with roles.
    assert not OrganisationRole.objects.filter(user=admin).exists()

    donor = audience_for(users["demo-bailleur"])
    assert donor.is_donor and not donor.is_admin and not donor.editor_of
    assert users["demo-bailleur"].groups.filter(name=DONOR_GROUP).exists()


def test_reset_removes_demo_accounts_and_records(demo_allowed):
    seed(*SMALL)
    with pytest.raises(DomainError) as refused:
        services.demo_seed(organisations=8, zones=20)
    assert refused.value.code == "demo_present" and refused.value.status_code == 409
    services.demo_delete()
    assert not selectors.demo_present()
    assert not Zone.objects.filter(intervention__is_demo=True).exists()
    # No coverage atom is left pointing at a deleted zone.
    assert atom_zone_ids() <= set(Zone.objects.values_list("id", flat=True))


def test_bulk_zones_are_the_zones_the_services_would_make(demo_allowed, mali):
    """Each zone written in bulk has the geometry zones.zone_sql gives for the same request (clipped to Mali,
    union of the picked units, buffer on the geography), its picked units, its area and its coarse geometry."""
    from geo_backend.zones.zone_sql import zone_geometry_sql

    plan = services.demo_seed(organisations=6, zones=30, seed=3, extras=False)
    zones = list(Zone.objects.filter(intervention__is_demo=True).order_by("id").prefetch_related("picked_units"))
    assert [zone.label for zone in zones] == [zone.label for zone in plan.zones]
    for zone, planned in zip(zones, plan.zones, strict=True):
        assert zone.method == planned.method
        sql, params, _repairs, unit_ids, locality = zone_geometry_sql(
            edition=mali, method=planned.method, geometry=planned.geometry, unit_pcodes=planned.unit_pcodes,
            locality_pcode=planned.locality_pcode, radius_km=planned.radius_km)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT ST_Area(ST_SymDifference(geom, {sql})) / ST_Area(geom), ST_IsValid(geom) "
                           "FROM zones_zone WHERE id = %s", [*params, zone.id])
            difference, valid = cursor.fetchone()
        assert valid and difference < 1e-6, (zone.label, difference)
        assert sorted(unit.id for unit in zone.picked_units.all()) == sorted(unit_ids)
        assert zone.locality_id == (locality.id if locality else None)
        assert zone.area_km2 > 0 and not zone.coarse_geom.empty


def test_vocabulary_codes_are_valid_model_choices():
    from geo_backend.demo import vocabulary
    from geo_backend.zones.models import Sensitivity

    kinds = set(Organisation.Kind.values)
    assert {kind for kind, _label, _weight in vocabulary.ORGANISATION_KINDS} <= kinds - set(Organisation.NETWORK_KINDS)
    assert vocabulary.NETWORK_KIND_CODES == set(Organisation.NETWORK_KINDS)
    assert set(vocabulary.STATUS_WEIGHTS) == set(Intervention.Status.values)
    assert set(vocabulary.SENSITIVITY_WEIGHTS) == set(Sensitivity.values)
    assert set(vocabulary.VALIDATION_WEIGHTS) | {"rejected"} == set(Intervention.Validation.values)
    assert set(vocabulary.METHOD_WEIGHTS) == set(Zone.Method.values)
    assert set(vocabulary.MEMBERSHIP_ROLES) == set(Membership.Role.values)
