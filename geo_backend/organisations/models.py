"""Organisations (OLDDF/F), networks (PAR), memberships, contacts and the people who edit them."""
import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from geo_backend.common.locking import NewVersionOnSave
from geo_backend.regions.models import Locality


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Membres connectés")
    PRIVATE = "private", _("Privé")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Organisation(NewVersionOnSave, models.Model):
    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Association")
        ONG = "ong", _("ONG")
        COOPERATIVE = "cooperative", _("Coopérative")
        COLLECTIF = "collectif", _("Collectif")
        GROUPEMENT = "groupement", _("Groupement")
        PLATEFORME = "plateforme", _("Plateforme")
        ALLIANCE = "alliance", _("Alliance")
        RESEAU = "reseau", _("Réseau")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archivée")

    NETWORK_KINDS = (Kind.PLATEFORME, Kind.ALLIANCE, Kind.RESEAU)
    # OCHA 3W organisation types (#org+type), for exports.
    OCHA_TYPES = {
        Kind.ONG: "National NGO",
        Kind.ASSOCIATION: "Civil Society",
        Kind.COOPERATIVE: "Civil Society",
        Kind.COLLECTIF: "Civil Society",
        Kind.GROUPEMENT: "Civil Society",
        Kind.PLATEFORME: "Civil Society",
        Kind.ALLIANCE: "Civil Society",
        Kind.RESEAU: "Civil Society",
    }

    name = models.CharField(_("nom"), max_length=200)
    acronym = models.CharField(_("sigle"), max_length=40, blank=True)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    head_office = models.ForeignKey(Locality, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("siège"))
    founded_year = models.PositiveSmallIntegerField(_("année de création"), null=True, blank=True)
    website = models.URLField(_("site web"), blank=True)
    logo = models.FileField(_("logo"), upload_to="logos/", blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.PENDING)
    is_demo = models.BooleanField(_("exemple fictif"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        constraints = [
            models.CheckConstraint(condition=Q(founded_year__isnull=True) | Q(founded_year__gte=1900,
                                                                              founded_year__lte=2100),
                                   name="organisation_founded_year_plausible"),
        ]

    def __str__(self):
        return self.acronym or self.name

    @property
    def is_network(self) -> bool:
        return self.kind in self.NETWORK_KINDS

    @property
    def ocha_type(self) -> str:
        return self.OCHA_TYPES.get(self.kind, "Civil Society")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Contact(models.Model):
    """One contact detail of an organisation, each with its own visibility."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("Courriel")
        PHONE = "phone", _("Téléphone")
        WHATSAPP = "whatsapp", _("WhatsApp")
        ADDRESS = "address", _("Adresse")
        PERSON = "person", _("Personne de contact")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(max_length=200)
    label = models.CharField(max_length=100, blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE)

    class Meta:
        ordering = ["organisation", "kind", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Membership(NewVersionOnSave, models.Model):
    """An organisation's membership of a network, from application to acceptance (or refusal)."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Demande envoyée")
        INVITED = "invited", _("Invitation envoyée")
        ACCEPTED = "accepted", _("Membre")
        DECLINED = "declined", _("Refusée")
        ENDED = "ended", _("Terminée")

    class Role(models.TextChoices):
        MEMBER = "member", _("Membre")
        FOUNDER = "founder", _("Membre fondateur")
        BOARD = "board", _("Membre du bureau")

    network = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="member_links")
    member = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="network_links")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPLIED)
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["network", "member"]
        constraints = [
            models.UniqueConstraint(fields=["network", "member"],
                                    condition=Q(status__in=["applied", "invited", "accepted"]),
                                    name="membership_one_open_per_pair"),
            models.CheckConstraint(condition=~Q(network=models.F("member")), name="membership_not_self"),
            models.CheckConstraint(condition=Q(until__isnull=True) | Q(since__isnull=True)
                                   | Q(until__gte=models.F("since")), name="membership_until_after_since"),
        ]

    def __str__(self):
        return f"{self.member} → {self.network} ({self.status})"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class OrganisationRole(models.Model):
    """What a person may do for an organisation: edit its records, or (for a network) coordinate it."""

    class Role(models.TextChoices):
        EDITOR = "editor", _("Éditeur·rice")
        COORDINATOR = "coordinator", _("Coordinateur·rice de réseau")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_roles")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=12, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"], name="role_unique")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"
