"""Small builders for registry tests: people with roles, organisations, networks, interventions with zones."""
import itertools

from django.contrib.auth.models import Group, User

from geo_backend.organisations.access import DONOR_GROUP, Audience, audience_for
from geo_backend.organisations.models import Membership, Organisation, OrganisationRole
from geo_backend.taxonomy.models import Theme
from geo_backend.zones import services as zone_services
from geo_backend.zones.models import Intervention

_numbers = itertools.count(1)

# A 0.1° square inside the commune of Ségou region (well inside Mali), and one near Bamako.
SEGOU_SQUARE = {"type": "Polygon", "coordinates": [[[-6.3, 13.4], [-6.2, 13.4], [-6.2, 13.5], [-6.3, 13.5],
                                                    [-6.3, 13.4]]]}


def user(name: str | None = None, *, groups=(), superuser: bool = False) -> User:
    person = User.objects.create_user(name or f"person{next(_numbers)}", password="pw-test-1234",
                                      is_superuser=superuser, is_staff=superuser)
    for group in groups:
        person.groups.add(Group.objects.get_or_create(name=group)[0])
    return person


def donor() -> User:
    return user(groups=[DONOR_GROUP])


def organisation(name: str | None = None, *, kind: str = "association", status: str = "active",
                 editor: User | None = None) -> Organisation:
    n = next(_numbers)
    org = Organisation.objects.create(name=name or f"Organisation test {n}", slug=f"org-test-{n}", kind=kind,
                                      status=status)
    if editor is not None:
        OrganisationRole.objects.create(user=editor, organisation=org, role="editor")
    return org


def network(*, coordinator: User | None = None, members=()) -> Organisation:
    net = organisation(kind="reseau")
    if coordinator is not None:
        OrganisationRole.objects.create(user=coordinator, organisation=net, role="coordinator")
        OrganisationRole.objects.create(user=coordinator, organisation=net, role="editor")
    for member in members:
        Membership.objects.create(network=net, member=member, status="accepted")
    return net


def admin_audience() -> Audience:
    return audience_for(user(superuser=True))


def intervention(org: Organisation, *, sensitivity: str = "public", state: str = "validated",
                 geometry: dict | None = None, theme: str = "vbg", **fields) -> Intervention:
    """An intervention with one drawn zone, then put in the requested sensitivity and validation state."""
    admin = admin_audience()
    created = zone_services.intervention_create(
        audience=admin, organisation=org, fields={"title": f"Intervention {next(_numbers)}", **fields},
        relations={"themes": [Theme.objects.get(code=theme)]})
    zone_services.zone_create(audience=admin, intervention=created, method="drawn",
                              geometry=geometry or SEGOU_SQUARE)
    Intervention.objects.filter(pk=created.pk).update(sensitivity=sensitivity, validation_state=state,
                                                      rejection_reason="x" if state == "rejected" else "")
    created.refresh_from_db()
    return created


# --- API helpers (added for the registry API tests) --------------------------------------------------------

def api_client(person: User | None = None):
    """An API client signed in as person (a fresh session each request, as in production), or a visitor."""
    from rest_framework.test import APIClient

    client = APIClient()
    if person is not None:
        client.force_login(person)
    return client


def if_match(record) -> str:
    """The If-Match header value for the version of a record as it is now in the database."""
    from geo_backend.api.helpers import etag

    record.refresh_from_db()
    return etag(record._meta.model_name, record.pk, record.version)


def registry_snapshot() -> dict:
    """Row count and a hash of every row of the registry tables: equal snapshots mean nothing was written."""
    from django.db import connection

    from geo_backend.organisations.models import Contact
    from geo_backend.zones.models import Zone, ZoneCommune

    models = [Organisation, OrganisationRole, Contact, Membership, Intervention, Intervention.themes.through, Zone,
              Zone.picked_units.through, ZoneCommune]
    snapshot = {}
    with connection.cursor() as cursor:
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM {table} t")
            snapshot[model._meta.db_table] = cursor.fetchone()
    return snapshot


def intervention_in_units(org: Organisation, *, units=("ML040224",), sensitivity: str = "public",
                          state: str = "validated", theme: str = "vbg", **fields) -> Intervention:
    """Like intervention(), with a zone picked from admin units (Ségou commune by default): much faster to build
    than a drawn zone, which is clipped against the whole country boundary."""
    admin = admin_audience()
    created = zone_services.intervention_create(
        audience=admin, organisation=org, fields={"title": f"Intervention {next(_numbers)}", **fields},
        relations={"themes": [Theme.objects.get(code=theme)]})
    zone_services.zone_create(audience=admin, intervention=created, method="picked", unit_pcodes=list(units))
    Intervention.objects.filter(pk=created.pk).update(sensitivity=sensitivity, validation_state=state,
                                                      rejection_reason="x" if state == "rejected" else "")
    created.refresh_from_db()
    return created
