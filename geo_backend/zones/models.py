"""Interventions (who does what, when, for whom) and their zones (where), with sensitivity and validation."""
import pghistory
from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from geo_backend.common.locking import NewVersionOnSave
from geo_backend.organisations.models import Organisation
from geo_backend.regions.models import AdminUnit, Edition, Locality
from geo_backend.taxonomy.models import ActionKind, Funder, TargetGroup, Theme


class Sensitivity(models.TextChoices):
    PUBLIC = "public", _("Publique (zone exacte)")
    COARSE = "coarse", _("Approximative (communes entières pour le public)")
    RESTRICTED = "restricted", _("Restreinte (coordination et organisation seulement)")


# The largest number of people the columns hold (PostgreSQL integer); inputs refuse more with a clear error.
MAX_PEOPLE = 2**31 - 1


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Intervention(NewVersionOnSave, models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Prévue")
        ONGOING = "ongoing", _("En cours")
        COMPLETED = "completed", _("Terminée")

    class Validation(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Soumise")
        VALIDATED = "validated", _("Validée")
        REJECTED = "rejected", _("Rejetée")

    class GenderMarker(models.IntegerChoices):
        NOT_TARGETED = 0, _("0 – non ciblé")
        SIGNIFICANT = 1, _("1 – objectif significatif")
        PRINCIPAL = 2, _("2 – objectif principal")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="interventions")
    declared_by_network = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                            related_name="declared_interventions")
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField(Theme, related_name="interventions")
    action_kinds = models.ManyToManyField(ActionKind, blank=True, related_name="interventions")
    target_groups = models.ManyToManyField(TargetGroup, blank=True, related_name="interventions")
    funders = models.ManyToManyField(Funder, blank=True, related_name="interventions")
    partners = models.ManyToManyField(Organisation, blank=True, related_name="partner_interventions")
    start_date = models.DateField(_("début"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True, help_text=_("Vide : sans date de fin"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ONGOING)
    gender_marker = models.PositiveSmallIntegerField(choices=GenderMarker.choices, null=True, blank=True)
    women_targeted = models.PositiveIntegerField(null=True, blank=True)
    women_reached = models.PositiveIntegerField(null=True, blank=True)
    sensitivity = models.CharField(max_length=10, choices=Sensitivity.choices, default=Sensitivity.PUBLIC)
    validation_state = models.CharField(max_length=10, choices=Validation.choices, default=Validation.DRAFT)
    rejection_reason = models.TextField(blank=True)
    last_confirmed_on = models.DateField(null=True, blank=True)
    is_demo = models.BooleanField(_("exemple fictif"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(start_date__isnull=True)
                                   | Q(end_date__gte=models.F("start_date")), name="intervention_end_after_start"),
            models.CheckConstraint(condition=~Q(validation_state="rejected") | ~Q(rejection_reason=""),
                                   name="intervention_rejection_has_reason"),
        ]
        indexes = [models.Index(fields=["validation_state", "sensitivity"])]

    def __str__(self):
        return self.title


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Zone(NewVersionOnSave, models.Model):
    """Where an intervention happens: drawn, picked from admin units, or a radius around a locality.

    `geom` is the exact zone, clipped to Mali. `coarse_geom` is the union of the (web geometries of the)
    communes it touches: what the public sees of a coarse intervention.
    """

    class Method(models.TextChoices):
        DRAWN = "drawn", _("Dessinée")
        PICKED = "picked", _("Unités administratives choisies")
        BUFFER = "buffer", _("Rayon autour d'une localité")

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="zones")
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=10, choices=Method.choices)
    label = models.CharField(max_length=200, blank=True)
    picked_units = models.ManyToManyField(AdminUnit, blank=True, related_name="picked_in_zones")
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    radius_km = models.FloatField(null=True, blank=True)
    geom = models.MultiPolygonField(srid=4326)
    coarse_geom = models.MultiPolygonField(srid=4326)
    area_km2 = models.FloatField()
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["intervention", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(geom__isvalid=True), name="zone_geom_valid"),
            models.CheckConstraint(condition=~Q(method="buffer") | Q(locality__isnull=False, radius_km__gt=0),
                                   name="zone_buffer_has_locality_and_radius"),
        ]


class ZoneCommune(models.Model):
    """A commune a zone touches, with the share of the commune's area it covers (basis of the analytics)."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="commune_shares")
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="zone_shares")
    share = models.FloatField(help_text=_("Part de la surface de la commune couverte (0–1)"))
    area_km2 = models.FloatField()
    # The part of the zone inside the commune, kept so the coverage analytics never recompute it.
    geom = models.MultiPolygonField(srid=4326)
    # The zone covers the whole commune (its piece is the commune itself). Such a piece adds no border inside the
    # commune: the coverage atoms leave it out and the analytics count the commune whole for it, as they do for a
    # zone seen only coarsely. A town picked by hundreds of organisations is then stored once per zone here, not
    # listed again in each of its thousands of atoms.
    covers_commune = models.BooleanField(default=False, db_default=False)

    class Meta:
        ordering = ["zone", "commune"]
        constraints = [
            # Carrying what the measuring queries read of a piece, so they join 67,000 pieces (20,000 zones) from
            # the index alone instead of reading the table and its geometries three times per query.
            models.UniqueConstraint(fields=["zone", "commune"], include=["covers_commune", "area_km2"],
                                    name="zone_commune_unique"),
            models.CheckConstraint(condition=Q(share__gt=0, share__lte=1.000001), name="zone_commune_share_0_1"),
        ]


# --- History of the many-to-many links ------------------------------------------------------------------------
# Django's link tables have no model of their own to decorate: proxies of them carry pghistory's triggers, so that
# adding or removing a theme, kind of action, target group, funder, partner or picked unit is recorded (who, when)
# like any other change, and an intervention can be restored with the links it had (common/history.py).

# Statement-level triggers: one history insert per statement, not one per link. Bulk writes of links (the demo,
# imports) spent ~0.3 ms per row in row-level triggers (25 of the 29 s of 11,155 interventions' links at 20,000
# zones); the rows written are the same.
LINK_EVENTS = (pghistory.InsertEvent(level=pghistory.Statement), pghistory.DeleteEvent(level=pghistory.Statement))


@pghistory.track(*LINK_EVENTS, obj_field=None)
class InterventionTheme(Intervention.themes.through):
    class Meta:
        proxy = True


@pghistory.track(*LINK_EVENTS, obj_field=None)
class InterventionActionKind(Intervention.action_kinds.through):
    class Meta:
        proxy = True


@pghistory.track(*LINK_EVENTS, obj_field=None)
class InterventionTargetGroup(Intervention.target_groups.through):
    class Meta:
        proxy = True


@pghistory.track(*LINK_EVENTS, obj_field=None)
class InterventionFunder(Intervention.funders.through):
    class Meta:
        proxy = True


@pghistory.track(*LINK_EVENTS, obj_field=None)
class InterventionPartner(Intervention.partners.through):
    class Meta:
        proxy = True


@pghistory.track(*LINK_EVENTS, obj_field=None)
class ZonePickedUnit(Zone.picked_units.through):
    class Meta:
        proxy = True


# Each link model, by the name of the many-to-many field it records.
INTERVENTION_LINKS = {"themes": InterventionTheme, "action_kinds": InterventionActionKind,
                      "target_groups": InterventionTargetGroup, "funders": InterventionFunder,
                      "partners": InterventionPartner}
