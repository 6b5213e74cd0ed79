"""Reads of a person's own notifications (nobody reads anyone else's)."""
from django.db.models import QuerySet

from geo_backend.organisations.access import Audience

from ..models import Notification, NotificationPreference
from ..services.notifications import notification_text


def notifications_of(audience: Audience, *, unread: bool | None = None) -> QuerySet:
    if audience.is_visitor:
        return Notification.objects.none()
    queryset = Notification.objects.filter(recipient_id=audience.user_id)
    if unread is not None:
        queryset = queryset.filter(read_at__isnull=unread)
    return queryset.order_by("-created_at", "-id")


def unread_count(audience: Audience) -> int:
    return notifications_of(audience, unread=True).count()


def notification_as_dict(notification: Notification) -> dict:
    return {"id": notification.id, "kind": notification.kind, "text": notification_text(notification),
            "url": notification.url, "created_at": notification.created_at, "read": notification.read_at is not None}


def preference_as_dict(audience: Audience) -> dict:
    preference = NotificationPreference.objects.filter(user_id=audience.user_id).first()
    return {"email_enabled": preference.email_enabled if preference else True,
            "language": preference.language if preference else "fr"}
