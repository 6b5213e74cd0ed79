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
        if event.pgh_label == "delete":
            # What was removed: a link (a theme taken off an intervention) is only readable this way.
            changed = {name: {"before": value, "after": None} for name, value in row.items()
                       if name not in IGNORED_FIELDS and name != "id" and value is not None}
        else:
            changed = {name: {"before": before.get(name), "after": value} for name, value in row.items()
                       if name not in IGNORED_FIELDS and before.get(name) != value}
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


def links_as_of(event, link_models: dict[str, type[models.Model]], owner: str) -> dict[str, list[int]]:
    """The many-to-many links of the object of a recorded event as they were in that version, per field name: the
    ids of the linked objects.

    link_models are the tracked proxies of the link tables (zones/models.py), owner the name of their foreign key
    to the object. A version's links are replayed from the link events written before the object's next recorded
    change: an operation writes the object first, then its links (services, and the Django admin's save_model
    then save_related), so the links of a version follow its event and precede the next one.
    """
    later = type(event).objects.filter(id=event.id, pgh_created_at__gt=event.pgh_created_at)
    next_version_at = later.order_by("pgh_created_at").values_list("pgh_created_at", flat=True).first()
    links = {}
    for name, link_model in link_models.items():
        (target,) = [f.attname for f in link_model._meta.fields if f.is_relation and f.name != owner]
        events = link_model.pgh_event_model.objects.filter(**{f"{owner}_id": event.id})
        if next_version_at is not None:
            events = events.filter(pgh_created_at__lt=next_version_at)
        present: set[int] = set()
        for label, linked in events.order_by("pgh_created_at", "pgh_id").values_list("pgh_label", target):
            if label == "delete":
                present.discard(linked)
            else:
                present.add(linked)
        links[name] = sorted(present)
    return links
