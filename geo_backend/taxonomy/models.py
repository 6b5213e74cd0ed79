"""The shared vocabulary: themes (two levels), kinds of action, target groups, funders.

Codes are stable and used for exchange (3W exports, IATI/OECD DAC sectors); labels exist in French and English.
"""
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class LabelledCode(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    label_fr = models.CharField(max_length=200)
    label_en = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self):
        return self.label_fr

    @property
    def label(self) -> str:
        """The label in the active language (French unless English is chosen)."""
        return self.label_en if (get_language() or "fr").startswith("en") else self.label_fr


class Theme(LabelledCode):
    """A domain (no parent) or a sub-domain of a domain, with its OECD DAC / IATI sector codes."""

    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    dac_codes = ArrayField(models.CharField(max_length=10), default=list, blank=True,
                           help_text=_("Codes de secteur CAD de l'OCDE / IATI"))

    class Meta(LabelledCode.Meta):
        verbose_name = _("thème")


class ActionKind(LabelledCode):
    """Sensibilisation, plaidoyer, formation, prise en charge…"""

    class Meta(LabelledCode.Meta):
        verbose_name = _("type d'action")


class TargetGroup(LabelledCode):
    """Femmes, filles, jeunes femmes, femmes handicapées…"""

    class Meta(LabelledCode.Meta):
        verbose_name = _("groupe cible")


class Funder(models.Model):
    """A donor financing interventions (for donor dashboards and roll-ups per funder)."""

    name = models.CharField(max_length=200, unique=True)
    acronym = models.CharField(max_length=40, blank=True)
    is_demo = models.BooleanField(default=False, help_text=_("Exemple fictif"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("bailleur")

    def __str__(self):
        return self.acronym or self.name
