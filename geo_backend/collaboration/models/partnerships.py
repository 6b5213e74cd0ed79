"""Partnerships between organisations: proposed by one, answered by the other, on some places and themes."""
import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geo_backend.organisations.models import Organisation
from geo_backend.regions.models import AdminUnit
from geo_backend.taxonomy.models import Theme


class PartnershipRole(models.TextChoices):
    COORDINATION = "coordination", _("Coordination des interventions")
    REFERRAL = "referral", _("Orientation et référencement")
    JOINT_ACTION = "joint_action", _("Action commune")
    SHARED_TRAINER = "shared_trainer", _("Partage d'un·e formateur·rice")
    INFORMATION = "information", _("Échange d'informations")
    OTHER = "other", _("Autre")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Partnership(models.Model):
    """One organisation proposes, the other accepts or declines. Accepted, it covers its areas (admin units of any
    level: a cercle covers its communes) on its themes (a domain, or a sub-domain counting for its domain): the
    overlaps of the two organisations there are then "coordinated"."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposé")
        ACCEPTED = "accepted", _("Accepté")
        DECLINED = "declined", _("Décliné")
        WITHDRAWN = "withdrawn", _("Retiré")
        ENDED = "ended", _("Terminé")

    proposer = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="partnerships_proposed",
                                 verbose_name=_("organisation qui propose"))
    partner = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="partnerships_received",
                                verbose_name=_("organisation partenaire"))
    role = models.CharField(_("rôle proposé"), max_length=20, choices=PartnershipRole.choices)
    message = models.TextField(_("message"), blank=True)
    areas = models.ManyToManyField(AdminUnit, related_name="partnerships", verbose_name=_("lieux"))
    themes = models.ManyToManyField(Theme, related_name="partnerships", verbose_name=_("thèmes"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    is_demo = models.BooleanField(_("exemple fictif"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("partenariat")
        constraints = [
            models.CheckConstraint(condition=~Q(proposer=models.F("partner")), name="partnership_not_self"),
            # One pending proposal per pair of organisations, whichever proposed: a double click, or both
            # organisations proposing at once, cannot leave two proposals to answer.
            models.UniqueConstraint(Least("proposer", "partner"), Greatest("proposer", "partner"),
                                    condition=Q(status="proposed"), name="partnership_one_pending_per_pair"),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.proposer} ↔ {self.partner} ({self.status})"

    def other_side(self, organisation_id: int) -> Organisation:
        return self.partner if organisation_id == self.proposer_id else self.proposer


class PartnershipLogEntry(models.Model):
    """The history both organisations see: who proposed, answered, withdrew or ended, when, with which note."""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", _("Proposition")
        ACCEPTED = "accepted", _("Acceptation")
        DECLINED = "declined", _("Refus")
        WITHDRAWN = "withdrawn", _("Retrait")
        ENDED = "ended", _("Fin du partenariat")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="log")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.partnership_id} · {self.kind}"
