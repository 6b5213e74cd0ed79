"""Telling people when something needs them or concerns them: in the site (unread list in the header) and by
e-mail (Django's e-mail backend), unless they turned e-mail off.

Sending never blocks or breaks the request that caused it:
- other apps' services call `notify_after_commit(event, …)` right after their change: the event's handler runs
  only once the change is committed (transaction.on_commit, robust: an error is logged, never raised), so a
  refused or rolled-back change tells nobody anything;
- `notification_send` writes the notifications in one transaction, then hands the e-mails to one background
  thread: the request does not wait for the mail server, and a failing server is logged, never raised.
Who is told is decided in organisations/access/ (only people who may see what they are told about).
"""
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geo_backend.common.errors import DomainError
from geo_backend.organisations import access
from geo_backend.organisations.access import Audience

from ..models import Notification, NotificationPreference

logger = logging.getLogger("musoya.notifications")

# kind -> sentence, filled with the notification's params when it is read (in the reader's language).
KINDS = {
    "declaration_submitted": gettext_lazy("Déclaration à valider : « %(title)s » (%(organisation)s)."),
    "declaration_validated": gettext_lazy("Votre déclaration « %(title)s » a été validée."),
    "declaration_rejected": gettext_lazy("Votre déclaration « %(title)s » a été rejetée : %(reason)s"),
    "partnership_proposed": gettext_lazy("%(organisation)s propose un partenariat à %(partner)s."),
    "partnership_accepted": gettext_lazy("%(partner)s a accepté le partenariat proposé par %(organisation)s."),
    "partnership_declined": gettext_lazy("%(partner)s a décliné le partenariat proposé par %(organisation)s."),
    "partnership_withdrawn": gettext_lazy("%(organisation)s a retiré sa proposition de partenariat à %(partner)s."),
    "partnership_ended": gettext_lazy("Le partenariat entre %(organisation)s et %(partner)s a pris fin."),
    "membership_applied": gettext_lazy("%(member)s demande à rejoindre %(network)s."),
    "membership_invited": gettext_lazy("%(network)s invite %(member)s à devenir membre."),
    "membership_accepted": gettext_lazy("L'adhésion de %(member)s à %(network)s est acceptée."),
    "membership_declined": gettext_lazy("L'adhésion de %(member)s à %(network)s est refusée."),
    "training_registered": gettext_lazy("%(organisation)s a inscrit %(participants)s personne(s) à la formation "
                                        "« %(title)s »."),
}


def notification_text(notification: Notification) -> str:
    """The notification's sentence in the active language (the kind's template filled with its params)."""
    template = KINDS.get(notification.kind)
    if template is None:
        return notification.kind
    try:
        return str(template) % notification.params
    except (KeyError, TypeError, ValueError):
        return str(template)


# --- Writing notifications ---------------------------------------------------------------------------------------

@transaction.atomic
def notification_send(*, recipient_ids, kind: str, params: dict | None = None, url: str = "",
                      actor_id: int | None = None) -> list[Notification]:
    """Notifies each recipient (never the person who acted) and queues their e-mails, sent after the commit by the
    background mailer to those who did not turn e-mail off."""
    if kind not in KINDS:
        raise DomainError("unknown_notification", "Type de notification inconnu.", "Unknown notification kind.")
    recipients = sorted({r for r in recipient_ids if r is not None} - {actor_id})
    notifications = Notification.objects.bulk_create(
        Notification(recipient_id=recipient, kind=kind, params=params or {}, url=url) for recipient in recipients)
    messages = _emails_for(notifications)
    transaction.on_commit(partial(email_dispatch, messages), robust=True)
    return notifications


@transaction.atomic
def notification_mark_read(*, audience: Audience, notification_ids=None) -> int:
    """Marks the person's own notifications read (all of them when no ids are given); returns how many."""
    access.require_signed_in(audience)
    unread = Notification.objects.filter(recipient_id=audience.user_id, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(id__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


@transaction.atomic
def notification_preference_set(*, audience: Audience, email_enabled: bool | None = None,
                                language: str | None = None) -> NotificationPreference:
    """A person turns notification e-mails on or off, and chooses their language."""
    access.require_signed_in(audience)
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user_id=audience.user_id)
    if email_enabled is not None:
        preference.email_enabled = email_enabled
    if language is not None:
        if language not in dict(settings.LANGUAGES):
            raise DomainError("invalid_language", "Langue inconnue.", "Unknown language.")
        preference.language = language
    preference.save()
    return preference


# --- E-mail ------------------------------------------------------------------------------------------------------

def site_url() -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def _emails_for(notifications: list[Notification]) -> list[EmailMessage]:
    """One e-mail per notification whose recipient has an address and did not turn e-mail off, in her language."""
    users = get_user_model().objects.in_bulk([n.recipient_id for n in notifications])
    preferences = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=list(users))}
    messages = []
    for notification in notifications:
        user, preference = users.get(notification.recipient_id), preferences.get(notification.recipient_id)
        if user is None or not user.email or (preference is not None and not preference.email_enabled):
            continue
        with translation.override(preference.language if preference else settings.LANGUAGE_CODE):
            text = notification_text(notification)
            link = f"{site_url()}{notification.url}" if notification.url else site_url()
            settings_url = site_url() + reverse("collaboration:notifications")
            footer = _("Vous recevez ce courriel parce que Musoya vous notifie. Pour ne plus recevoir de courriels, "
                       "décochez l'option dans vos notifications : %(url)s") % {"url": settings_url}
            body = "\n\n".join([text, link, footer])
            messages.append(EmailMessage(subject=f"Musoya : {text}"[:200], body=body, to=[user.email]))
    return messages


_mailer: ThreadPoolExecutor | None = None
_mailer_lock = threading.Lock()


def _forget_mailer() -> None:
    global _mailer
    _mailer = None


if hasattr(os, "register_at_fork"):  # a forked gunicorn worker starts its own mailer thread
    os.register_at_fork(after_in_child=_forget_mailer)


def _mail_worker() -> ThreadPoolExecutor:
    global _mailer
    with _mailer_lock:
        if _mailer is None:
            _mailer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="musoya-mail")
        return _mailer


def email_dispatch(messages: list[EmailMessage]) -> None:
    """Hands e-mails to the background mailer (or sends them here when MUSOYA_EMAIL_IN_BACKGROUND is false)."""
    if not messages:
        return
    if not getattr(settings, "MUSOYA_EMAIL_IN_BACKGROUND", True):
        _deliver(messages)
        return
    try:
        _mail_worker().submit(_deliver, messages)
    except RuntimeError:  # the interpreter is shutting down
        logger.warning("e-mail not sent (shutting down): %s", [m.to for m in messages])


def _deliver(messages: list[EmailMessage]) -> None:
    for message in messages:
        try:
            message.send()
        except Exception:  # noqa: BLE001 - a failing mail server is logged, never raised
            logger.warning("e-mail to %s failed", message.to, exc_info=True)


def emails_wait(timeout: float = 30) -> None:
    """Returns once every e-mail queued so far has been handed to the e-mail backend (tests, shutdown)."""
    if _mailer is not None:
        _mailer.submit(lambda: None).result(timeout)


# --- Events of other apps ----------------------------------------------------------------------------------------

def notify_after_commit(event: str, **params) -> None:
    """Called by a service right after its change: once the change is committed, tells the people concerned.

    A failure of the notification (a bug, the database) is logged and never reaches the request."""
    if event not in EVENTS:
        raise ValueError(f"unknown notification event {event!r}")
    transaction.on_commit(partial(_run_event, event, params), robust=True)


def _run_event(event: str, params: dict) -> None:
    try:
        with translation.override(settings.LANGUAGE_CODE):  # addresses without a language prefix
            EVENTS[event](**params)
    except Exception:  # noqa: BLE001 - never break the request that caused it
        logger.exception("notification %s failed (%s)", event, params)


def _declaration(kind: str, *, intervention_id: int, actor_id: int | None) -> None:
    from geo_backend.zones.models import Intervention

    intervention = Intervention.objects.select_related("organisation").get(pk=intervention_id)
    params = {"title": intervention.title, "organisation": intervention.organisation.name,
              "reason": intervention.rejection_reason}
    if kind == "declaration_submitted":
        recipients = access.declaration_reviewer_ids(organisation_id=intervention.organisation_id,
                                                     declared_by_network_id=intervention.declared_by_network_id)
        url = reverse("web:queue")
    else:
        recipients = access.organisation_editor_ids([intervention.organisation_id])
        url = reverse("web:editor", args=[intervention.id])
    notification_send(recipient_ids=recipients, kind=kind, params=params, url=url, actor_id=actor_id)


def _membership(*, membership_id: int, actor_id: int | None) -> None:
    from geo_backend.organisations.models import Membership

    membership = Membership.objects.select_related("network", "member").get(pk=membership_id)
    kind = {"applied": "membership_applied", "invited": "membership_invited", "accepted": "membership_accepted",
            "declined": "membership_declined"}.get(membership.status)
    if kind is None:
        return
    network_side = access.network_coordinator_ids([membership.network_id])
    member_side = access.organisation_editor_ids([membership.member_id])
    recipients = {"membership_applied": network_side, "membership_invited": member_side}.get(
        kind, network_side + member_side)
    notification_send(recipient_ids=recipients, kind=kind, actor_id=actor_id, url=reverse("collaboration:memberships"),
                      params={"network": membership.network.name, "member": membership.member.name})


def _partnership(*, partnership_id: int, actor_id: int | None) -> None:
    from ..models import Partnership

    partnership = Partnership.objects.select_related("proposer", "partner").get(pk=partnership_id)
    kind = f"partnership_{partnership.status}"
    proposer_side = access.organisation_editor_ids([partnership.proposer_id])
    partner_side = access.organisation_editor_ids([partnership.partner_id])
    recipients = {"partnership_proposed": partner_side, "partnership_withdrawn": partner_side,
                  "partnership_accepted": proposer_side, "partnership_declined": proposer_side}.get(
        kind, proposer_side + partner_side)
    notification_send(recipient_ids=recipients, kind=kind, actor_id=actor_id,
                      url=reverse("collaboration:partnership", args=[partnership.id]),
                      params={"organisation": partnership.proposer.name, "partner": partnership.partner.name})


def _training_registration(*, registration_id: int, actor_id: int | None) -> None:
    from ..models import TrainingRegistration

    registration = TrainingRegistration.objects.select_related("training", "organisation").get(pk=registration_id)
    training = registration.training
    recipients = access.organisation_editor_ids([training.trainer_organisation_id])
    if training.network_id:
        recipients += access.network_coordinator_ids([training.network_id])
    notification_send(recipient_ids=recipients, kind="training_registered", actor_id=actor_id,
                      url=reverse("collaboration:training", args=[training.id]),
                      params={"organisation": registration.organisation.name, "title": training.title,
                              "participants": registration.participants})


EVENTS = {
    "declaration_submitted": partial(_declaration, "declaration_submitted"),
    "declaration_validated": partial(_declaration, "declaration_validated"),
    "declaration_rejected": partial(_declaration, "declaration_rejected"),
    "membership_changed": _membership,
    "partnership_changed": _partnership,
    "training_registered": _training_registration,
}
