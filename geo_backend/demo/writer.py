"""Writes a demo plan in bulk: one INSERT per kind of row, zone geometries built in PostGIS, in the caller's
transaction.

The rows are the ones the services would write (same fields, states and derived tables), but made in bulk so
that the rows themselves cost seconds even for 20,000 zones (the per-zone services run some ten statements per
zone). The parts with rules of their own still go through the zones services: zone_derivatives_refresh cuts the
zones by the communes (shares, pieces, coarse geometry); the caller then refreshes the coverage atoms once. The
pghistory triggers record every insert, under the context the caller opened.
"""
import json
from collections.abc import Callable, Iterator
from datetime import date

from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from geo_backend.common.errors import DomainError
from geo_backend.organisations.models import Contact, Membership, Organisation, OrganisationRole
from geo_backend.regions.models import AdminUnit, Edition, Locality
from geo_backend.taxonomy.models import ActionKind, Funder, TargetGroup, Theme
from geo_backend.zones.models import Intervention, Zone
from geo_backend.zones.services import zone_derivatives_refresh

from .accounts import demo_accounts_create
from .plan import DemoPlan
from .vocabulary import REJECTION_REASON

Progress = Callable[[str], None]
ZONE_BATCH = 1000  # zones per statement of the geometry steps: each batch says how far it got
ROW_BATCH = 5000  # rows per INSERT of the plain tables

# Every zone of a batch in one statement. Picked zones are the union of their units; buffers and drawn zones are
# clipped to the country, the way zones.zone_sql does for one zone (only those crossing the border need the
# costly intersection: a zone the country covers is kept as it is). ST_Covers(country, zone) rather than
# ST_CoveredBy(zone, country): PostGIS prepares the repeated first argument once (measured: 1.6 ms a zone for
# ST_CoveredBy against Mali's 8,000-vertex outline, 0.01 ms for ST_Covers).
ZONES_INSERT_SQL = """
INSERT INTO zones_zone (id, intervention_id, edition_id, method, label, locality_id, radius_km, geom, coarse_geom,
                        area_km2, version, created_at, updated_at)
SELECT p.id, p.intervention_id, %(edition)s, p.method, p.label, l.id, p.radius_km,
       CASE WHEN p.method = 'picked' THEN
              (SELECT ST_Multi(ST_Union(u.geom)) FROM regions_adminunit u
               WHERE u.edition_id = %(edition)s AND u.pcode = ANY(string_to_array(p.units, ',')))
            WHEN ST_Covers(country.geom, r.raw) THEN ST_Multi(r.raw)
            ELSE ST_Multi(ST_CollectionExtract(ST_Intersection(r.raw, country.geom), 3)) END,
       'SRID=4326;MULTIPOLYGON EMPTY', 0, 1, now(), now()
FROM unnest(%(ids)s::bigint[], %(interventions)s::bigint[], %(methods)s::text[], %(labels)s::text[],
            %(units)s::text[], %(localities)s::text[], %(radii)s::float8[], %(drawn)s::text[])
     AS p(id, intervention_id, method, label, units, locality_pcode, radius_km, drawn)
LEFT JOIN regions_locality l ON l.edition_id = %(edition)s AND l.pcode = p.locality_pcode
CROSS JOIN (SELECT geom FROM regions_adminunit WHERE edition_id = %(edition)s AND level = 0) country
CROSS JOIN LATERAL (
  SELECT CASE p.method WHEN 'buffer' THEN ST_Buffer(l.geom::geography, p.radius_km * 1000)::geometry
                       WHEN 'drawn' THEN ST_SetSRID(ST_GeomFromGeoJSON(p.drawn), 4326) END AS raw
) r
"""


def _batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _next_ids(model, count: int) -> list[int]:
    """Ids taken from the table's own sequence, so that rows inserted by SELECT can be named in advance."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                       [model._meta.db_table, count])
        return sorted(row[0] for row in cursor.fetchall())


def _free_slugs(names: list[str]) -> list[str]:
    """Slugs as organisation_register makes them (the name, then -2, -3… when taken), for many names at once."""
    taken = set(Organisation.objects.values_list("slug", flat=True))
    slugs = []
    for name in names:
        base = slugify(name)[:70] or "organisation"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def plan_write(plan: DemoPlan, *, edition: Edition, progress: Progress) -> set[int]:
    """Writes the plan and the demo accounts; returns the communes whose coverage atoms need refreshing."""
    users = demo_accounts_create()
    admin = users["demo-admin"]
    progress(f"comptes de démonstration : {len(users)}")

    funders = Funder.objects.bulk_create(Funder(name=name, is_demo=True) for name in plan.funders)
    organisations = _write_organisations(plan, edition)
    progress(f"organisations et réseaux : {len(organisations)} (contacts, bailleurs {len(funders)})")
    _write_memberships_and_roles(plan, organisations, users, today=plan.today)
    progress(f"adhésions : {len(plan.memberships)}")

    interventions = _write_interventions(plan, organisations, funders, admin_id=admin.pk)
    progress(f"interventions : {len(interventions)} (thèmes, actions, publics, bailleurs, partenaires)")

    zone_ids = _write_zones(plan, interventions, edition=edition, progress=progress)
    touched: set[int] = set()
    for done, batch in enumerate(_batches(zone_ids, ZONE_BATCH), start=1):
        touched |= zone_derivatives_refresh(batch)
        progress(f"découpage par commune : {min(done * ZONE_BATCH, len(zone_ids))}/{len(zone_ids)} zones")
    return touched


def _write_organisations(plan: DemoPlan, edition: Edition) -> list[Organisation]:
    """Active (an administrator registered them) and is_demo; contacts as planned."""
    head_offices = dict(Locality.objects.filter(edition=edition, pcode__in={o.head_office.pcode for o in
                                                                            plan.organisations})
                        .values_list("pcode", "id"))
    slugs = _free_slugs([item.name for item in plan.organisations])
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=item.name, slug=slug, kind=item.kind, description=item.description,
                      head_office_id=head_offices[item.head_office.pcode], founded_year=item.founded_year,
                      status=Organisation.Status.ACTIVE, is_demo=True)
         for item, slug in zip(plan.organisations, slugs, strict=True)],
        batch_size=ROW_BATCH)
    Contact.objects.bulk_create(
        [Contact(organisation=organisation, kind=c["kind"], value=c["value"], label=c.get("label", ""),
                 visibility=c.get("visibility", "private"))
         for organisation, item in zip(organisations, plan.organisations, strict=True) for c in item.contacts],
        batch_size=ROW_BATCH)
    return organisations


def _write_memberships_and_roles(plan: DemoPlan, organisations: list[Organisation], users: dict, *,
                                 today: date) -> None:
    """Accepted memberships as an administrator records them (decided by the demo administrator, members since
    the planned date); the pending one as an application awaiting the network. Then the demo editor's and
    coordinator's roles."""
    admin_id, now = users["demo-admin"].pk, timezone.now()
    Membership.objects.bulk_create(
        [Membership(network=organisations[item.network], member=organisations[item.member], role=item.role,
                    status=Membership.Status.APPLIED if item.pending else Membership.Status.ACCEPTED,
                    since=None if item.pending else item.since,
                    decided_by_id=None if item.pending else admin_id, decided_at=None if item.pending else now)
         for item in plan.memberships],
        batch_size=ROW_BATCH)
    editor_organisation = organisations[plan.editor_organisation]
    network = organisations[plan.coordinated_network]
    OrganisationRole.objects.bulk_create([
        OrganisationRole(user=users["demo-editrice"], organisation=editor_organisation,
                         role=OrganisationRole.Role.EDITOR),
        OrganisationRole(user=users["demo-coordinatrice"], organisation=network, role=OrganisationRole.Role.EDITOR),
        OrganisationRole(user=users["demo-coordinatrice"], organisation=network,
                         role=OrganisationRole.Role.COORDINATOR),
    ])


def _write_interventions(plan: DemoPlan, organisations: list[Organisation], funders: list[Funder], *,
                         admin_id: int) -> list[Intervention]:
    """Interventions in their planned validation state, as the workflow would leave them (a validated
    declaration is confirmed on the day of seeding, a rejected one says why), with their relations."""
    interventions = Intervention.objects.bulk_create(
        [Intervention(organisation=organisations[item.organisation], created_by_id=admin_id, is_demo=True,
                      declared_by_network=(organisations[item.declared_by_network]
                                           if item.declared_by_network is not None else None),
                      validation_state=item.validation,
                      last_confirmed_on=plan.today if item.validation == "validated" else None,
                      rejection_reason=REJECTION_REASON if item.validation == "rejected" else "",
                      **item.fields)
         for item in plan.interventions],
        batch_size=ROW_BATCH)
    themes = dict(Theme.objects.values_list("code", "id"))
    action_kinds = dict(ActionKind.objects.values_list("code", "id"))
    target_groups = dict(TargetGroup.objects.values_list("code", "id"))
    relations = {
        "themes": ("theme_id", lambda item: [themes[code] for code in item.themes]),
        "action_kinds": ("actionkind_id", lambda item: [action_kinds[code] for code in item.action_kinds]),
        "target_groups": ("targetgroup_id", lambda item: [target_groups[code] for code in item.target_groups]),
        "funders": ("funder_id", lambda item: [funders[index].id for index in item.funders]),
        "partners": ("organisation_id",
                     lambda item: [organisations[item.partner].id] if item.partner is not None else []),
    }
    for name, (column, targets) in relations.items():
        through = getattr(Intervention, name).through
        through.objects.bulk_create(
            [through(intervention_id=intervention.id, **{column: target})
             for intervention, item in zip(interventions, plan.interventions, strict=True)
             for target in targets(item)],
            batch_size=ROW_BATCH)
    return interventions


def _write_zones(plan: DemoPlan, interventions: list[Intervention], *, edition: Edition,
                 progress: Progress) -> list[int]:
    """Every zone, its geometry built in SQL, ZONE_BATCH at a time; then the units picked for each."""
    rows = [(intervention.id, zone) for intervention, item in zip(interventions, plan.interventions, strict=True)
            for zone in item.zones]
    ids = _next_ids(Zone, len(rows))
    with connection.cursor() as cursor:
        for done, batch in enumerate(_batches(list(zip(ids, rows, strict=True)), ZONE_BATCH), start=1):
            cursor.execute(ZONES_INSERT_SQL, {
                "edition": edition.id,
                "ids": [zone_id for zone_id, _ in batch],
                "interventions": [intervention_id for _, (intervention_id, _) in batch],
                "methods": [zone.method for _, (_, zone) in batch],
                "labels": [zone.label for _, (_, zone) in batch],
                "units": [",".join(zone.unit_pcodes) if zone.unit_pcodes else None for _, (_, zone) in batch],
                "localities": [zone.locality_pcode for _, (_, zone) in batch],
                "radii": [zone.radius_km for _, (_, zone) in batch],
                "drawn": [json.dumps(zone.geometry) if zone.geometry else None for _, (_, zone) in batch],
            })
            progress(f"zones : {min(done * ZONE_BATCH, len(rows))}/{len(rows)}")
        cursor.execute("SELECT count(*) FROM zones_zone WHERE id = ANY(%s) AND ST_IsEmpty(geom)", [ids])
        (empty,) = cursor.fetchone()
    if empty:
        raise DomainError("geometry_outside_mali", f"{empty} zones de démonstration sont hors du Mali.",
                          f"{empty} demo zones lie outside Mali.")
    pcodes = {code for _, zone in rows for code in zone.unit_pcodes or ()}
    units = dict(AdminUnit.objects.filter(edition=edition, pcode__in=pcodes).values_list("pcode", "id"))
    through = Zone.picked_units.through
    through.objects.bulk_create(
        [through(zone_id=zone_id, adminunit_id=units[code])
         for zone_id, (_, zone) in zip(ids, rows, strict=True) for code in zone.unit_pcodes or ()],
        batch_size=ROW_BATCH)
    return ids
