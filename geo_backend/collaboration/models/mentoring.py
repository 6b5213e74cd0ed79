"""Mentoring pairs between experienced and beginning women leaders, kept by a network's coordinators.

Do no harm: a mentee can be at risk. The people's names are read only by the network's coordinators and the two
people of the pair (organisations/access/); everyone else sees counts. Not tracked by pghistory and not in the
Django admin, so that the names do not leak through a history table or an administration screen.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from geo_backend.organisations.models import Organisation
from geo_backend.taxonomy.models import Theme


class MentoringPair(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("En cours")
        CLOSED = "closed", _("Terminé")

    network = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="mentoring_pairs")
    mentor_name = models.CharField(_("mentore (expérimentée)"), max_length=120)
    mentee_name = models.CharField(_("mentorée (débutante)"), max_length=120)
    # Set when the person has an account: she then sees her own pair.
    mentor_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    mentee_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    themes = models.ManyToManyField(Theme, related_name="mentoring_pairs")
    started_on = models.DateField(_("début"))
    ended_on = models.DateField(_("fin"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    is_demo = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["network", "-started_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                                   name="mentoring_end_after_start"),
        ]

    def __str__(self):
        return f"Binôme {self.pk} ({self.network})"  # never the names: this text can end up in logs


class MentoringLogEntry(models.Model):
    """The follow-up log of a pair: a session, what was shared, what comes next."""

    pair = models.ForeignKey(MentoringPair, on_delete=models.CASCADE, related_name="log")
    date = models.DateField()
    note = models.TextField()
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pair", "-date", "-id"]

    def __str__(self):
        return f"{self.pair_id} · {self.date}"
