"""Writes for interventions and zones. Each public function is one transaction: all or nothing.

Spatial work happens in PostGIS: clipping to Mali, unions of picked units, buffers on the geography, and the
zone-to-commune shares that the analytics build on.
"""
from django.db import connection, transaction
from django.utils import timezone

from geo_backend.analytics.services import coverage_atoms_refresh
from geo_backend.collaboration.services.notifications import notify_after_commit
from geo_backend.common.errors import DomainError, refuse_fields_outside
from geo_backend.common.locking import version_bump
from geo_backend.organisations.access import (
    Audience,
    require_intervention_editor,
    require_validator,
)
from geo_backend.organisations.models import Organisation
from geo_backend.regions.selectors import edition_resolve

from .models import Intervention, Zone, ZoneCommune
from .zone_sql import outside_mali, zone_geometry_sql

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
    _check_declaring_network(organisation.id, fields.get("declared_by_network"))
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
        _check_declaring_network(intervention.organisation_id, fields["declared_by_network"])
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
    version_bump(Intervention, pk=intervention.pk, expected_version=expected_version)
    touched = list(ZoneCommune.objects.filter(zone__intervention=intervention).values_list("commune_id", flat=True))
    intervention.delete()  # its zones and their commune pieces go with it (cascade)
    coverage_atoms_refresh(touched)


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


def zone_derivatives_refresh(zone_ids: list[int]) -> set[int]:
    """Recomputes, for the given zones, their area, the communes each touches with the share of the commune it
    covers (and the piece inside it), and the coarse geometry (union of those communes) that the public sees of a
    coarse intervention. Returns the communes touched before or after, whose coverage atoms need refreshing."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM zones_zonecommune WHERE zone_id = ANY(%s) RETURNING commune_id", [zone_ids])
        touched = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            """
            INSERT INTO zones_zonecommune (zone_id, commune_id, share, area_km2, geom)
            SELECT z.id, c.id, LEAST(1.0, x.area_km2 / c.area_km2), x.area_km2, x.piece
            FROM zones_zone z
            JOIN regions_adminunit c ON c.edition_id = z.edition_id AND c.level = 3 AND ST_Intersects(z.geom, c.geom)
            CROSS JOIN LATERAL (
              SELECT ST_Multi(ST_CollectionExtract(ST_Intersection(z.geom, c.geom), 3)) AS piece
            ) p
            CROSS JOIN LATERAL (SELECT p.piece, musoya_area_km2(p.piece) AS area_km2) x
            -- A piece under 0.01 percent of the zone is noise from drawing precision along a commune border (a
            -- metre-wide sliver), not an intervention in that commune.
            WHERE z.id = ANY(%s) AND x.area_km2 > 1e-6 AND x.area_km2 >= 1e-4 * musoya_area_km2(z.geom)
            RETURNING commune_id
            """,
            [zone_ids],
        )
        touched |= {row[0] for row in cursor.fetchall()}
        cursor.execute(
            """
            UPDATE zones_zone z SET
              area_km2 = musoya_area_km2(z.geom),
              coarse_geom = coalesce(
                (SELECT ST_Multi(ST_Union(c.web_geom)) FROM zones_zonecommune zc
                 JOIN regions_adminunit c ON c.id = zc.commune_id WHERE zc.zone_id = z.id),
                z.geom)
            WHERE z.id = ANY(%s)
            """,
            [zone_ids],
        )
    return touched


def _refresh_zone_derivatives(zone_id: int) -> None:
    # Only the communes the zone covered before or covers now need their coverage atoms recomputed.
    coverage_atoms_refresh(zone_derivatives_refresh([zone_id]))


def _store_zone_geometry(zone_id: int, sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE zones_zone SET geom = {sql} WHERE id = %s RETURNING ST_IsEmpty(geom)",
                       [*params, zone_id])
        (empty,) = cursor.fetchone()
    if empty:
        raise outside_mali()
    _refresh_zone_derivatives(zone_id)


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
    with connection.cursor() as cursor:
        # Insert with a placeholder geometry, then set the real one in SQL (clip, union or buffer).
        cursor.execute(
            """
            INSERT INTO zones_zone (intervention_id, edition_id, method, label, locality_id, radius_km, geom,
                                    coarse_geom, area_km2, version, created_at, updated_at)
            VALUES (%s, %s, %s, %s, %s, %s, 'SRID=4326;MULTIPOLYGON EMPTY', 'SRID=4326;MULTIPOLYGON EMPTY', 0, 1,
                    now(), now())
            RETURNING id
            """,
            [intervention.id, edition.id, method, label, locality.id if locality else None,
             float(radius_km) if method == Zone.Method.BUFFER else None],
        )
        (zone_id,) = cursor.fetchone()
    _store_zone_geometry(zone_id, sql, params)
    zone = Zone.objects.get(pk=zone_id)
    zone.picked_units.set(unit_ids)
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
    version_bump(Zone, pk=zone.pk, expected_version=expected_version, **changes)
    _store_zone_geometry(zone.pk, sql, params)
    zone.refresh_from_db()
    zone.picked_units.set(unit_ids)
    _touch_intervention(zone.intervention)
    return zone, repairs


@transaction.atomic
def zone_delete(*, audience: Audience, zone: Zone, expected_version: int) -> None:
    require_intervention_editor(audience, organisation_id=zone.intervention.organisation_id,
                                declared_by_network_id=zone.intervention.declared_by_network_id)
    version_bump(Zone, pk=zone.pk, expected_version=expected_version)
    intervention = zone.intervention
    touched = list(zone.commune_shares.values_list("commune_id", flat=True))
    zone.delete()
    coverage_atoms_refresh(touched)
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
    """Puts back an intervention's fields as recorded in one history event; it then needs validation again."""
    from geo_backend.common.history import restorable_values

    require_intervention_editor(audience, organisation_id=intervention.organisation_id,
                                declared_by_network_id=intervention.declared_by_network_id)
    event = Intervention.pgh_event_models["insert"].objects.filter(pgh_id=event_id, id=intervention.id).first()
    if event is None:
        raise DomainError("event_not_found", "Version introuvable dans l'historique de cette intervention.",
                          "Version not found in this intervention's history.", status_code=404)
    values = restorable_values(event, EDITOR_FIELDS)
    if intervention.validation_state in (Intervention.Validation.VALIDATED, Intervention.Validation.REJECTED):
        values.update(validation_state=Intervention.Validation.SUBMITTED, rejection_reason="")
    version_bump(Intervention, pk=intervention.pk, expected_version=expected_version, **values)
    intervention.refresh_from_db()
    return intervention
