"""Writes for interventions and zones. Each public function is one transaction: all or nothing.

Spatial work happens in PostGIS: clipping to Mali, unions of picked units, buffers on the geography, and the
zone-to-commune shares that the analytics build on.
"""
from django.db import connection, transaction
from django.utils import timezone

from geo_backend.analytics.atom_edits import coverage_atoms_place_zone, coverage_atoms_remove_zones
from geo_backend.collaboration.services.notifications import notify_after_commit
from geo_backend.common.errors import DomainError, NotFound, refuse_fields_outside
from geo_backend.common.locking import version_bump
from geo_backend.organisations.access import (
    Audience,
    require_intervention_editor,
    require_network_declarer,
    require_validator,
)
from geo_backend.organisations.models import Organisation
from geo_backend.regions.selectors import edition_resolve

from .models import Intervention, Zone, ZoneCommune
from .zone_sql import coarse_geometry_sql, commune_pieces_sql, outside_mali, zone_geometry_sql

INTERVENTION_M2M = ("themes", "action_kinds", "target_groups", "funders", "partners")
EDITOR_FIELDS = {
    "title", "description", "start_date", "end_date", "status", "gender_marker", "women_targeted",
    "women_reached", "sensitivity", "last_confirmed_on", "declared_by_network",
}


def _check_declaring_network(organisation_id: int, network: Organisation | None) -> None:
    if network is None:
        return
    if not network.is_network or not network.member_links.filter(member_id=organisation_id,
                                                                  status="accepted").exists():
        raise DomainError("network_not_member",
                          "Ce réseau ne compte pas l'organisation parmi ses membres.",
                          "This network does not have the organisation among its members.")


def _set_relations(intervention: Intervention, relations: dict) -> None:
    for name in INTERVENTION_M2M:
        if name in relations:
            getattr(intervention, name).set(relations[name])


@transaction.atomic
def intervention_create(*, audience: Audience, organisation: Organisation, fields: dict, relations: dict,
                        submit: bool = False) -> Intervention:
    """Creates an intervention of the organisation as a draft (or submitted, when submit is true). A network's
    coordinator may declare for a member by naming the network in declared_by_network."""
    network = fields.get("declared_by_network")
    require_intervention_editor(audience, organisation_id=organisation.id,
                                declared_by_network_id=network.id if network else None)
    refuse_fields_outside(fields, EDITOR_FIELDS)
    if network is not None:
        require_network_declarer(audience, network_id=network.id)
    _check_declaring_network(organisation.id, network)
    if not relations.get("themes"):
        raise DomainError("themes_required", "Choisissez au moins un thème.", "Choose at least one theme.")
    state = Intervention.Validation.SUBMITTED if submit else Intervention.Validation.DRAFT
    intervention = Intervention.objects.create(
        organisation=organisation, created_by_id=audience.user_id, validation_state=state,
        is_demo=organisation.is_demo, **fields,
    )
    _set_relations(intervention, relations)
    if submit:
        notify_after_commit("declaration_submitted", intervention_id=intervention.id, actor_id=audience.user_id)
    return intervention


@transaction.atomic
def intervention_update(*, audience: Audience, intervention: Intervention, expected_version: int, fields: dict,
                        relations: dict) -> Intervention:
    """Changes an intervention if nobody saved since expected_version.

    A change to a validated or rejected declaration sends it back to the network for validation.
    """
    require_intervention_editor(audience, organisation_id=intervention.organisation_id,
                                declared_by_network_id=intervention.declared_by_network_id)
    refuse_fields_outside(fields, EDITOR_FIELDS)
    if "declared_by_network" in fields:
        network = fields["declared_by_network"]
        # Who declared it does not change (as on an import's update): moving it to another network, or taking it
        # away from the network that declared it, would let a coordinator validate her own declaration.
        if (network.id if network else None) != intervention.declared_by_network_id:
            raise DomainError("declared_by_network_fixed",
                              "Le réseau qui a déclaré l'intervention ne change pas après sa création.",
                              "The network that declared the intervention does not change after its creation.")
    if "themes" in relations and not relations["themes"]:
        raise DomainError("themes_required", "Choisissez au moins un thème.", "Choose at least one theme.")
    changes = dict(fields)
    if intervention.validation_state in (Intervention.Validation.VALIDATED, Intervention.Validation.REJECTED):
        changes.update(validation_state=Intervention.Validation.SUBMITTED, rejection_reason="")
    version_bump(Intervention, pk=intervention.pk, expected_version=expected_version, **changes)
    intervention.refresh_from_db()
    _set_relations(intervention, relations)
    return intervention


@transaction.atomic
def intervention_delete(*, audience: Audience, intervention: Intervention, expected_version: int) -> None:
    require_intervention_editor(audience, organisation_id=intervention.organisation_id,
                                declared_by_network_id=intervention.declared_by_network_id)
    version_bump(Intervention, pk=intervention.pk, expected_version=expected_version)  # lock order: see Zones
    _lock_zones(intervention.pk)
    pieces = list(ZoneCommune.objects.filter(zone__intervention=intervention, covers_commune=False)
                  .values_list("zone_id", "commune_id"))
    intervention.delete()  # its zones and their commune pieces go with it (cascade)
    coverage_atoms_remove_zones([zone for zone, _ in pieces], [commune for _, commune in pieces])


def _transition(audience: Audience, intervention: Intervention, expected_version: int, allowed_from: set,
                **changes) -> Intervention:
    if intervention.validation_state not in allowed_from:
        raise DomainError(
            "invalid_transition",
            f"Impossible depuis l'état « {intervention.get_validation_state_display()} ».",
            f"Not possible from the state '{intervention.validation_state}'.",
            status_code=409,
        )
    version_bump(Intervention, pk=intervention.pk, expected_version=expected_version, **changes)
    intervention.refresh_from_db()
    return intervention


@transaction.atomic
def intervention_submit(*, audience: Audience, intervention: Intervention, expected_version: int) -> Intervention:
    """The organisation sends its draft (or a rejected declaration, corrected) to its network for validation."""
    require_intervention_editor(audience, organisation_id=intervention.organisation_id,
                                declared_by_network_id=intervention.declared_by_network_id)
    if not intervention.zones.exists():
        raise DomainError("zone_required", "Ajoutez au moins une zone avant de soumettre.",
                          "Add at least one zone before submitting.")
    submitted = _transition(audience, intervention, expected_version, {"draft", "rejected"},
                            validation_state="submitted", rejection_reason="")
    notify_after_commit("declaration_submitted", intervention_id=submitted.id, actor_id=audience.user_id)
    return submitted


@transaction.atomic
def intervention_validate(*, audience: Audience, intervention: Intervention, expected_version: int) -> Intervention:
    require_validator(audience, organisation_id=intervention.organisation_id,
                      declared_by_network_id=intervention.declared_by_network_id)
    validated = _transition(audience, intervention, expected_version, {"submitted"},
                            validation_state="validated", rejection_reason="", last_confirmed_on=timezone.localdate())
    notify_after_commit("declaration_validated", intervention_id=validated.id, actor_id=audience.user_id)
    return validated


@transaction.atomic
def intervention_reject(*, audience: Audience, intervention: Intervention, expected_version: int,
                        reason: str) -> Intervention:
    require_validator(audience, organisation_id=intervention.organisation_id,
                      declared_by_network_id=intervention.declared_by_network_id)
    if not reason.strip():
        raise DomainError("reason_required", "Indiquez la raison du rejet.", "Give the reason for rejecting.")
    rejected = _transition(audience, intervention, expected_version, {"submitted"},
                           validation_state="rejected", rejection_reason=reason.strip())
    notify_after_commit("declaration_rejected", intervention_id=rejected.id, actor_id=audience.user_id)
    return rejected


# --- Zones -------------------------------------------------------------------------------------------------
#
# Lock order. Every write that touches zones takes its locks in this one order, so that two writes never wait for
# each other in a circle (a deadlock, which PostgreSQL breaks by failing one of them: an error 500 before):
#   1. the intervention's row (_lock_intervention, or the UPDATE of version_bump on the intervention);
#   2. its zones' rows, by id (version_bump on one zone, or _lock_zones for all of them);
#   3. the coverage atoms of the communes touched, by commune id (advisory locks, analytics/services.py).
# A write that waited for a concurrent delete of its intervention finds it gone and answers 404.

_WRITE_ZONE_SQL = """
WITH zone AS (SELECT {geometry} AS geom),
pieces AS ({pieces}),
written AS ({write} RETURNING zones_zone.id),
stored AS (
  INSERT INTO zones_zonecommune (zone_id, commune_id, share, area_km2, geom, covers_commune)
  SELECT written.id, pieces.commune_id, pieces.share, pieces.area_km2, pieces.piece, pieces.covers_commune
  FROM written, pieces
  RETURNING commune_id, covers_commune
)
SELECT (SELECT id FROM written), ARRAY(SELECT commune_id FROM stored WHERE NOT covers_commune)
"""
# The communes whose coverage atoms a change of zone pieces alters: those of its partial pieces. A piece that is the
# whole commune is not in the atoms (analytics/services.py), so picking a whole town refreshes nothing.
_DELETE_PIECES_SQL = """
DELETE FROM zones_zonecommune WHERE zone_id = ANY(%s) RETURNING commune_id, covers_commune
"""
_COARSE_FROM_PIECES = coarse_geometry_sql("SELECT commune_id FROM pieces")
_INSERT_ZONE = f"""
  INSERT INTO zones_zone (intervention_id, edition_id, method, label, locality_id, radius_km, geom, coarse_geom,
                          area_km2, version, created_at, updated_at)
  SELECT %s, %s, %s, %s, %s, %s, zone.geom, coalesce({_COARSE_FROM_PIECES}, zone.geom), musoya_area_km2(zone.geom),
         1, now(), now()
  FROM zone WHERE NOT ST_IsEmpty(zone.geom)
"""
_UPDATE_ZONE = f"""
  UPDATE zones_zone SET geom = zone.geom, coarse_geom = coalesce({_COARSE_FROM_PIECES}, zone.geom),
                        area_km2 = musoya_area_km2(zone.geom)
  FROM zone WHERE zones_zone.id = %s AND NOT ST_IsEmpty(zone.geom)
"""


def _lock_intervention(intervention_id: int) -> None:
    """Step 1 of the lock order; refuses (404) when a concurrent delete removed the intervention meanwhile."""
    locked = Intervention.objects.select_for_update(no_key=True).filter(pk=intervention_id)
    if not list(locked.values_list("pk", flat=True)):
        raise NotFound("intervention_not_found", "Cette intervention n'existe plus : elle vient d'être supprimée.",
                       "This intervention no longer exists: it has just been deleted.")


def _lock_zones(intervention_id: int) -> None:
    """Step 2 of the lock order, for every zone of an intervention."""
    list(Zone.objects.select_for_update().filter(intervention_id=intervention_id).order_by("id")
         .values_list("id", flat=True))


def _write_zone(write_sql: str, write_params: list, *, edition_id: int, geometry_sql: str,
                geometry_params: list) -> tuple[int, set[int]]:
    """Writes a zone's geometry, area and coarse geometry, and its commune pieces, in one statement (so that no
    version of the zone without its geometry ever exists, even in its history). Returns the zone's id and the
    communes of its partial pieces (those whose atoms change). Refuses a zone that lies outside the country."""
    pieces = commune_pieces_sql("SELECT NULL::bigint AS id, %s::bigint AS edition_id, zone.geom FROM zone")
    sql = _WRITE_ZONE_SQL.format(geometry=geometry_sql, pieces=pieces, write=write_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*geometry_params, edition_id, *write_params])
        zone_id, communes = cursor.fetchone()
    if zone_id is None:
        raise outside_mali()
    return zone_id, set(communes)


# Many stored zones at once, in one statement: each zone's area once, its commune pieces, and its coarse geometry
# from the union of each distinct set of communes once (zones touching the same communes share it). One statement
# because every UPDATE of a zone also writes its history row (the whole geometry): area and coarse geometry in two
# updates doubled that. A zone without pieces keeps its own geometry as coarse geometry.
_DERIVATIVES_SQL = """
WITH zones AS MATERIALIZED (
  SELECT id, edition_id, geom, musoya_area_km2(geom) AS area_km2 FROM zones_zone WHERE id = ANY(%(zones)s)
), pieces AS MATERIALIZED ({pieces}),
stored AS (
  INSERT INTO zones_zonecommune (zone_id, commune_id, share, area_km2, geom, covers_commune)
  SELECT zone_id, commune_id, share, area_km2, piece, covers_commune FROM pieces
  RETURNING commune_id, covers_commune
), sets AS MATERIALIZED (
  SELECT zone_id, array_agg(commune_id ORDER BY commune_id) AS communes FROM pieces GROUP BY zone_id
), unions AS MATERIALIZED (
  -- (each CTE materialised: inlined, the planner could union a set once per zone instead of once)
  SELECT s.communes, (SELECT ST_Multi(ST_Union(c.web_geom)) FROM regions_adminunit c WHERE c.id = ANY(s.communes))
         AS geom
  FROM (SELECT DISTINCT communes FROM sets) s
), updated AS (
  -- A coarse outline that changes (the communes reloaded with a new edition, say) is a change of what the public
  -- sees: updated_at moves with it, so that the zone tiles' fingerprint (zones/tiles.py) and caches follow.
  UPDATE zones_zone z SET area_km2 = zones.area_km2, coarse_geom = n.coarse_geom,
         updated_at = CASE WHEN z.coarse_geom IS DISTINCT FROM n.coarse_geom THEN now() ELSE z.updated_at END
  FROM zones LEFT JOIN sets s ON s.zone_id = zones.id LEFT JOIN unions u USING (communes)
  CROSS JOIN LATERAL (SELECT coalesce(u.geom, zones.geom) AS coarse_geom) n
  WHERE z.id = zones.id
)
SELECT DISTINCT commune_id FROM stored WHERE NOT covers_commune
"""


def zone_derivatives_refresh(zone_ids: list[int]) -> set[int]:
    """Recomputes, for the given stored zones, their area, the communes each touches with the share of the commune
    it covers (and the piece inside it), and the coarse geometry that the public sees of a coarse intervention.
    Returns the communes of their partial pieces before or after, whose coverage atoms need refreshing."""
    pieces = commune_pieces_sql("SELECT * FROM zones", zone_area="zz.area_km2")
    with connection.cursor() as cursor:
        cursor.execute(_DELETE_PIECES_SQL, [zone_ids])
        touched = {commune for commune, whole in cursor.fetchall() if not whole}
        cursor.execute(_DERIVATIVES_SQL.format(pieces=pieces), {"zones": zone_ids})
        touched |= {row[0] for row in cursor.fetchall()}
    return touched


@transaction.atomic
def zone_create(*, audience: Audience, intervention: Intervention, method: str, geometry=None, unit_pcodes=None,
                locality_pcode=None, radius_km=None, label: str = "", edition_slug: str | None = None
                ) -> tuple[Zone, list[dict]]:
    """Adds a zone to an intervention; returns the zone and the repairs made to a drawn geometry."""
    require_intervention_editor(audience, organisation_id=intervention.organisation_id,
                                declared_by_network_id=intervention.declared_by_network_id)
    edition = edition_resolve(edition_slug)
    sql, params, repairs, unit_ids, locality = zone_geometry_sql(
        edition=edition, method=method, geometry=geometry, unit_pcodes=unit_pcodes,
        locality_pcode=locality_pcode, radius_km=radius_km)
    _lock_intervention(intervention.id)
    zone_id, communes = _write_zone(
        _INSERT_ZONE, [intervention.id, edition.id, method, label, locality.id if locality else None,
                       float(radius_km) if method == Zone.Method.BUFFER else None],
        edition_id=edition.id, geometry_sql=sql, geometry_params=params)
    zone = Zone.objects.get(pk=zone_id)
    zone.picked_units.set(unit_ids)
    coverage_atoms_place_zone(zone.id, entered=communes)
    _touch_intervention(intervention)
    return zone, repairs


@transaction.atomic
def zone_update(*, audience: Audience, zone: Zone, expected_version: int, method: str, geometry=None,
                unit_pcodes=None, locality_pcode=None, radius_km=None, label: str | None = None
                ) -> tuple[Zone, list[dict]]:
    """Replaces a zone's geometry (and label) if nobody saved it since expected_version."""
    require_intervention_editor(audience, organisation_id=zone.intervention.organisation_id,
                                declared_by_network_id=zone.intervention.declared_by_network_id)
    sql, params, repairs, unit_ids, locality = zone_geometry_sql(
        edition=zone.edition, method=method, geometry=geometry, unit_pcodes=unit_pcodes,
        locality_pcode=locality_pcode, radius_km=radius_km)
    changes = {"method": method, "locality": locality,
               "radius_km": float(radius_km) if method == Zone.Method.BUFFER else None}
    if label is not None:
        changes["label"] = label
    _lock_intervention(zone.intervention_id)
    version_bump(Zone, pk=zone.pk, expected_version=expected_version, **changes)
    with connection.cursor() as cursor:
        cursor.execute(_DELETE_PIECES_SQL, [[zone.pk]])
        left = {commune for commune, whole in cursor.fetchall() if not whole}
    _zone_id, entered = _write_zone(_UPDATE_ZONE, [zone.pk], edition_id=zone.edition_id, geometry_sql=sql,
                                    geometry_params=params)
    zone.refresh_from_db()
    zone.picked_units.set(unit_ids)
    # Only the communes the zone covered before or covers now have atoms to change.
    coverage_atoms_place_zone(zone.pk, left=left, entered=entered)
    _touch_intervention(zone.intervention)
    return zone, repairs


@transaction.atomic
def zone_delete(*, audience: Audience, zone: Zone, expected_version: int) -> None:
    require_intervention_editor(audience, organisation_id=zone.intervention.organisation_id,
                                declared_by_network_id=zone.intervention.declared_by_network_id)
    _lock_intervention(zone.intervention_id)
    version_bump(Zone, pk=zone.pk, expected_version=expected_version)
    intervention = zone.intervention
    touched = list(zone.commune_shares.filter(covers_commune=False).values_list("commune_id", flat=True))
    zone_id = zone.pk  # (None once deleted)
    zone.delete()
    coverage_atoms_remove_zones([zone_id], touched)
    _touch_intervention(intervention)


def _touch_intervention(intervention: Intervention) -> None:
    """A zone change is a change of the declaration: a validated one goes back to its network for validation."""
    changes = {"updated_at": timezone.now()}
    if intervention.validation_state in (Intervention.Validation.VALIDATED, Intervention.Validation.REJECTED):
        changes.update(validation_state=Intervention.Validation.SUBMITTED, rejection_reason="")
    Intervention.objects.filter(pk=intervention.pk).update(**changes)


@transaction.atomic
def intervention_restore(*, audience: Audience, intervention: Intervention, event_id: int,
                         expected_version: int) -> Intervention:
    """Puts back an intervention's fields, and its links (themes, kinds of action, target groups, funders,
    partners), as recorded in one history event; it then needs validation again."""
    from geo_backend.common.history import links_as_of, restorable_values

    from .models import INTERVENTION_LINKS

    require_intervention_editor(audience, organisation_id=intervention.organisation_id,
                                declared_by_network_id=intervention.declared_by_network_id)
    event = Intervention.pgh_event_models["insert"].objects.filter(pgh_id=event_id, id=intervention.id).first()
    if event is None:
        raise DomainError("event_not_found", "Version introuvable dans l'historique de cette intervention.",
                          "Version not found in this intervention's history.", status_code=404)
    values = restorable_values(event, EDITOR_FIELDS)
    links = links_as_of(event, INTERVENTION_LINKS, "intervention")
    if not links["themes"]:
        raise DomainError("themes_required", "Cette version n'a pas de thème enregistré : elle ne peut pas être "
                          "restaurée.", "This version has no recorded theme: it cannot be restored.")
    if intervention.validation_state in (Intervention.Validation.VALIDATED, Intervention.Validation.REJECTED):
        values.update(validation_state=Intervention.Validation.SUBMITTED, rejection_reason="")
    version_bump(Intervention, pk=intervention.pk, expected_version=expected_version, **values)
    intervention.refresh_from_db()
    _set_relations(intervention, links)
    return intervention
