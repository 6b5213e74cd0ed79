"""Advocacy campaigns: what is being advocated where, by whom (e.g. applying the 30 % quota law in a commune)."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from geo_backend.organisations.models import Organisation, Visibility
from geo_backend.regions.models import AdminUnit
from geo_backend.taxonomy.models import Theme

from .documents import Document


class Campaign(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="campaigns",
                                     verbose_name=_("organisation"))
    participants = models.ManyToManyField(Organisation, blank=True, related_name="campaigns_joined",
                                          verbose_name=_("organisations participantes"))
    title = models.CharField(_("titre"), max_length=250)
    message = models.TextField(_("message"))
    themes = models.ManyToManyField(Theme, blank=True, related_name="campaigns", verbose_name=_("thèmes"))
    places = models.ManyToManyField(AdminUnit, blank=True, related_name="campaigns", verbose_name=_("lieux"))
    documents = models.ManyToManyField(Document, blank=True, related_name="campaigns", verbose_name=_("documents"))
    start_date = models.DateField(_("début"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    visibility = models.CharField(_("visibilité"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)
    is_demo = models.BooleanField(_("exemple fictif"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "-created_at"]
        verbose_name = _("campagne de plaidoyer")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(start_date__isnull=True)
                                   | Q(end_date__gte=models.F("start_date")), name="campaign_end_after_start"),
        ]

    def __str__(self):
        return self.title
