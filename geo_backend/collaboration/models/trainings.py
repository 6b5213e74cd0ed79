"""Training offers, the registrations of member organisations, and attendance by sex and age band."""
import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from geo_backend.organisations.models import Organisation
from geo_backend.regions.models import Locality
from geo_backend.taxonomy.models import Theme

from .assessments import Dimension


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Training(models.Model):
    """A training offered by an organisation (its trainer), open to every organisation or only to the members of
    one network. Library material is named in `materials` until the library app exists (see the README)."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("En présentiel")
        REMOTE = "remote", _("À distance")
        HYBRID = "hybrid", _("Hybride")

    class Status(models.TextChoices):
        OPEN = "open", _("Ouverte aux inscriptions")
        CLOSED = "closed", _("Inscriptions closes")
        CANCELLED = "cancelled", _("Annulée")

    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField(Theme, related_name="trainings", verbose_name=_("thèmes"))
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default=Format.IN_PERSON)
    trainer_organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="trainings_given",
                                             verbose_name=_("organisation formatrice"))
    network = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="trainings_hosted", verbose_name=_("réservée aux membres de"))
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("lieu"))
    venue = models.CharField(_("salle, adresse"), max_length=200, blank=True)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    seats = models.PositiveIntegerField(_("places"))
    materials = models.TextField(_("supports (bibliothèque)"), blank=True)
    needs = models.ManyToManyField(Dimension, blank=True, related_name="trainings",
                                   verbose_name=_("besoins auxquels elle répond"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    is_demo = models.BooleanField(_("exemple fictif"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = _("formation")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="training_end_after_start"),
            models.CheckConstraint(condition=Q(seats__gt=0), name="training_has_seats"),
            models.CheckConstraint(condition=Q(format="remote") | Q(locality__isnull=False),
                                   name="training_in_person_has_a_place"),
        ]

    def __str__(self):
        return self.title


class TrainingRegistration(models.Model):
    """An organisation registers a number of people (no names: a registration is a count of seats)."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Inscrite")
        CANCELLED = "cancelled", _("Annulée")

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="registrations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="training_registrations")
    participants = models.PositiveSmallIntegerField(_("nombre de personnes"))
    note = models.CharField(_("remarque"), max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REGISTERED)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["training", "organisation__name"]
        constraints = [
            models.CheckConstraint(condition=Q(participants__gt=0), name="registration_has_participants"),
            models.UniqueConstraint(fields=["training", "organisation"], condition=Q(status="registered"),
                                    name="registration_one_per_organisation"),
        ]

    def __str__(self):
        return f"{self.organisation} → {self.training} ({self.participants})"


class Sex(models.TextChoices):
    FEMALE = "female", _("Femmes")
    MALE = "male", _("Hommes")


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", _("moins de 18 ans")
    FROM_18 = "18_24", _("18–24 ans")
    FROM_25 = "25_34", _("25–34 ans")
    FROM_35 = "35_49", _("35–49 ans")
    FROM_50 = "50_plus", _("50 ans et plus")


class TrainingAttendance(models.Model):
    """How many people of one sex and age band an organisation actually sent (recorded by the trainer)."""

    registration = models.ForeignKey(TrainingRegistration, on_delete=models.CASCADE, related_name="attendance")
    sex = models.CharField(max_length=6, choices=Sex.choices)
    age_band = models.CharField(max_length=8, choices=AgeBand.choices)
    count = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["registration", "sex", "age_band"]
        constraints = [models.UniqueConstraint(fields=["registration", "sex", "age_band"],
                                               name="attendance_one_row_per_group")]

    def __str__(self):
        return f"{self.registration_id} · {self.sex} · {self.age_band}: {self.count}"
