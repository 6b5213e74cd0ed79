"""Events the networks run (workshops, trainings, panels), their recommendations, and news."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from geo_backend.organisations.models import Organisation, Visibility
from geo_backend.regions.models import AdminUnit, Locality
from geo_backend.taxonomy.models import Theme

from .documents import Document

# The largest head count accepted by the forms and the API: far above any workshop, far below the column's limit
# (a larger number was a database error, 500).
MAX_PARTICIPANTS = 1_000_000


class Event(models.Model):
    class Kind(models.TextChoices):
        WORKSHOP = "atelier", _("Atelier")
        TRAINING = "formation", _("Formation")
        PANEL = "panel", _("Panel")
        EXCHANGE = "echange", _("Journée d'échange")
        CONFERENCE = "conference", _("Conférence")
        AWARENESS = "sensibilisation", _("Sensibilisation")
        OTHER = "autre", _("Autre")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="library_events",
                                     verbose_name=_("organisation"))
    co_organisers = models.ManyToManyField(Organisation, blank=True, related_name="events_co_organised",
                                           verbose_name=_("co-organisateurs"))
    title = models.CharField(_("titre"), max_length=250)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.WORKSHOP)
    summary = models.TextField(_("présentation"), blank=True)
    programme = models.TextField(_("programme"), blank=True)
    speakers = models.TextField(_("intervenant·es et animatrices"), blank=True, help_text=_("Une personne par ligne"))
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"), null=True, blank=True)
    venue = models.CharField(_("lieu (salle, adresse)"), max_length=200, blank=True)
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("localité"))
    place = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="library_events", verbose_name=_("unité administrative"))
    themes = models.ManyToManyField(Theme, blank=True, related_name="library_events", verbose_name=_("thèmes"))
    participants_women = models.PositiveIntegerField(_("participantes"), null=True, blank=True)
    participants_men = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    report = models.ForeignKey(Document, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="reported_events", verbose_name=_("rapport"))
    visibility = models.CharField(_("visibilité"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)
    is_demo = models.BooleanField(_("exemple fictif"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("événement")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                                   name="event_ends_after_start"),
        ]
        indexes = [models.Index(fields=["starts_at"], name="event_starts_at")]

    def __str__(self):
        return self.title


class Recommendation(models.Model):
    """One recommendation of an event, followed up over time."""

    class Status(models.TextChoices):
        OPEN = "open", _("Ouverte")
        UNDER_WAY = "under_way", _("En cours")
        DONE = "done", _("Réalisée")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField(_("recommandation"))
    addressed_to = models.CharField(_("adressée à"), max_length=200, blank=True)
    status = models.CharField(_("suivi"), max_length=10, choices=Status.choices, default=Status.OPEN)
    follow_up = models.TextField(_("note de suivi"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["event", "position", "id"]

    def __str__(self):
        return self.text[:80]


class NewsItem(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="news",
                                     verbose_name=_("organisation"))
    title = models.CharField(_("titre"), max_length=250)
    body = models.TextField(_("texte"))
    published_at = models.DateTimeField(_("publiée le"))
    event = models.ForeignKey(Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="news")
    document = models.ForeignKey(Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="news")
    visibility = models.CharField(_("visibilité"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)
    is_demo = models.BooleanField(_("exemple fictif"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("actualité")

    def __str__(self):
        return self.title
