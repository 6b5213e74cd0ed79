"""Imports of spreadsheets and KoBo exports: each run with its file's checksum, the interventions it created (by a
stable key per source row, so a second import of the same file changes nothing), and the column mappings people
confirmed, saved per organisation."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from geo_backend.organisations.models import Organisation
from geo_backend.zones.models import Intervention


class ImportRun(models.Model):
    """One import of one file, dry or real: who, which file (sha256), what it did and found."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", help_text=_("Organisation par défaut des lignes"))
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    dry_run = models.BooleanField(default=True)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} ({self.sha256[:12]})"


class ImportedIntervention(models.Model):
    """Which intervention a source row (or group of rows) became: the key that makes re-imports idempotent."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    source_key = models.CharField(max_length=200)
    content_hash = models.CharField(max_length=64)
    intervention = models.OneToOneField(Intervention, on_delete=models.CASCADE, related_name="import_source")
    last_run = models.ForeignKey(ImportRun, on_delete=models.SET_NULL, null=True, related_name="interventions")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "source_key"], name="import_key_unique")]

    def __str__(self):
        return self.source_key


class ColumnMapping(models.Model):
    """A column mapping a person confirmed for files with these columns, kept for the organisation's next import."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    columns_signature = models.CharField(max_length=64, help_text=_("sha256 des noms de colonnes triés"))
    mapping = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "columns_signature"],
                                               name="column_mapping_unique")]

    def __str__(self):
        return f"{self.organisation_id}: {self.columns_signature[:12]}"
