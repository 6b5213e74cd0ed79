"""Optimistic locking: every editable record carries a version; an update names the version it read."""
from django.db import models
from django.utils import timezone

from .errors import DomainError


class StaleVersion(DomainError):
    """Someone else saved first. The API answers 412 with the current record so both versions can be shown."""

    status_code = 412

    def __init__(self, current_version: int, current: dict | None = None):
        super().__init__(
            "stale_version",
            "Quelqu'un d'autre a enregistré une version plus récente. Comparez les deux versions avant "
            "d'enregistrer à nouveau.",
            "Someone else saved a newer version. Compare both versions before saving again.",
            details={"current_version": current_version, "current": current},
        )


def version_bump(model: type[models.Model], *, pk: int, expected_version: int, **changes) -> int:
    """Applies changes only if the stored version is still expected_version; returns the new version.

    The check and the write are one UPDATE statement, so two concurrent saves of the same version cannot both
    succeed: exactly one matches the WHERE clause.
    """
    if any(field.name == "updated_at" for field in model._meta.fields):
        changes.setdefault("updated_at", timezone.now())  # .update() skips auto_now
    updated = model.objects.filter(pk=pk, version=expected_version).update(
        version=models.F("version") + 1, **changes
    )
    if not updated:
        current = model.objects.filter(pk=pk).values_list("version", flat=True).first()
        if current is None:
            raise DomainError("not_found", "Enregistrement introuvable.", "Record not found.", status_code=404)
        raise StaleVersion(current)
    return expected_version + 1


class NewVersionOnSave:
    """A model mixin: every save() of an existing row is a new version, so that an API client still holding the
    previous one gets 412 instead of overwriting it. Services write through version_bump (which also checks the
    version the client read); save() is how the Django admin, the shell and scripts write. Bulk .update() calls
    must bump the version themselves (F("version") + 1), as version_bump does."""

    def save(self, *args, **kwargs):
        if self._state.adding or self.pk is None:
            return super().save(*args, **kwargs)
        self.version = models.F("version") + 1  # in the UPDATE itself: no read-then-write race
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "version" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "version"]
        super().save(*args, **kwargs)
        self.refresh_from_db(fields=["version"])
