"""A person's notifications: the list, opening one (marks it read), marking all read, the e-mail setting."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..selectors import notifications as selectors
from ..services import notifications as services
from .common import who


@login_required
def notification_list(request):
    audience = who(request)
    entries = list(selectors.notifications_of(audience)[:100])
    return render(request, "collaboration/notifications.html", {
        "entries": [(n, services.notification_text(n)) for n in entries],
        "preference": selectors.preference_as_dict(audience),
    })


@login_required
def notification_open(request, pk):
    """Follows a notification's link and marks it read (only one's own: anyone else's answers 404)."""
    audience = who(request)
    notification = get_object_or_404(selectors.notifications_of(audience), pk=pk)
    services.notification_mark_read(audience=audience, notification_ids=[notification.pk])
    target = notification.url or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)


@login_required
@require_POST
def notifications_read_all(request):
    services.notification_mark_read(audience=who(request))
    messages.success(request, _("Toutes vos notifications sont marquées comme lues."))
    return redirect("collaboration:notifications")


@login_required
@require_POST
def notification_preferences(request):
    services.notification_preference_set(audience=who(request), email_enabled=request.POST.get("email") == "on",
                                         language=request.POST.get("language") or None)
    messages.success(request, _("Préférences enregistrées."))
    return redirect("collaboration:notifications")
