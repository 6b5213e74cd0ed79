"""Reading the change history that django-pghistory records with database triggers.

Triggers record every insert, update and delete, including bulk updates, admin actions and raw SQL; the
HistoryMiddleware attaches who and which URL to each request's changes (pghistory_context.metadata).
"""
from django.db import models

# Bookkeeping columns not worth showing in a diff.
IGNORED_FIELDS = {"updated_at", "created_at", "version", "geom", "coarse_geom"}


def _row(event) -> dict:
    fields = [f for f in event._meta.fields if not f.name.startswith("pgh_")]
    return {f.attname: getattr(event, f.attname) for f in fields}


def events_as_changes(events) -> list[dict]:
    """Turns event rows (any tracked model, oldest first) into readable entries with what changed."""
    previous: dict = {}
    entries = []
    for event in events:
        row = _row(event)
        key = (event._meta.label, row["id"])
        before = previous.get(key, {})
        changed = {
            name: {"before": before.get(name), "after": value}
            for name, value in row.items()
            if name not in IGNORED_FIELDS and before.get(name) != value and (before or event.pgh_label != "delete")
        }
        if event.pgh_label == "update" and "geom" in row and before.get("geom") != row["geom"]:
            changed["geom"] = {"before": "…", "after": "…"}
        previous[key] = row
        context = event.pgh_context.metadata if event.pgh_context_id else {}
        entries.append({
            "event": f"{event._meta.model_name}:{event.pgh_id}",
            "model": event._meta.model_name.removesuffix("event"),
            "object_id": row["id"],
            "action": event.pgh_label,
            "at": event.pgh_created_at,
            "user": context.get("user"),
            "url": context.get("url"),
            "changes": _jsonable(changed),
        })
    return entries


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def merged_history(querysets: list[models.QuerySet]) -> list[dict]:
    """Events of several tracked models, in the order they happened, newest last."""
    events = []
    for queryset in querysets:
        events.extend(queryset.select_related("pgh_context"))
    events.sort(key=lambda e: (e.pgh_created_at, e.pgh_id))
    return events_as_changes(events)


def restorable_values(event, field_names: set[str]) -> dict:
    """The values of field_names as they were in a recorded event (foreign keys by id)."""
    values = {}
    for field in event._meta.fields:
        if field.name in field_names:
            values[field.attname] = getattr(event, field.attname)
    return values
