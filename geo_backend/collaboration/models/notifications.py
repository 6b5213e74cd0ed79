"""What a person is told: one row per person and event, shown in the site's header until read, and e-mailed
unless the person turned e-mail off. The text is built when read, in the reader's language, from the kind and
its parameters (see services/notifications.py)."""
from django.conf import settings
from django.db import models
from django.db.models import Q


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "created_at"], condition=Q(read_at__isnull=True),
                                name="notification_unread")]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}"


class NotificationPreference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference")
    email_enabled = models.BooleanField(default=True)
    language = models.CharField(max_length=8, default="fr")

    def __str__(self):
        return f"{self.user_id}: {'e-mail' if self.email_enabled else 'no e-mail'}"
