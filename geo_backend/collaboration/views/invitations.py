"""Inviting a person to become an editor (administrators, a network's coordinators), and using the link."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from geo_backend.common.errors import DomainError
from geo_backend.organisations import access
from geo_backend.organisations import selectors as organisation_selectors

from ..forms import InvitationForm, NewAccountForm
from ..services import invitations as services
from .common import refusal, show_refusal, who


@login_required
def invite(request, slug):
    audience = who(request)
    organisation = get_object_or_404(organisation_selectors.organisations_visible(audience), slug=slug)
    if not access.can_invite_editor(audience, organisation_id=organisation.id):
        raise Http404
    link = None
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.editor_invitation_create(audience=audience, organisation=organisation,
                                                           email=form.cleaned_data["email"])
        except DomainError as error:
            show_refusal(request, error)
        else:
            link = services.invitation_link(invitation)
            messages.success(request, _("Invitation envoyée par courriel à %(email)s.") % {"email": invitation.email})
            form = InvitationForm()
    return render(request, "collaboration/invite.html", {"organisation": organisation, "form": form, "link": link,
                                                         "days": services.invitation_max_age().days})


def accept(request, token):
    """The invited person chooses a username and a password (or, signed in, accepts with her account)."""
    try:
        invitation = services.editor_invitation_resolve(token)
    except DomainError as error:
        return render(request, "collaboration/invitation.html", {"error": refusal(request, error)},
                      status=error.status_code)
    form = NewAccountForm(request.POST or None)
    if request.method == "POST" and (request.user.is_authenticated or form.is_valid()):
        try:
            if request.user.is_authenticated:
                user = services.editor_invitation_accept(token=token, user=request.user)
            else:
                user = services.editor_invitation_accept(token=token, username=form.cleaned_data["username"],
                                                         password=form.cleaned_data["password1"])
        except DomainError as error:
            if error.code in ("invitation_used", "invitation_expired", "invitation_invalid"):
                return render(request, "collaboration/invitation.html", {"error": refusal(request, error)},
                              status=error.status_code)
            show_refusal(request, error)
        else:
            if not request.user.is_authenticated:
                # The site's one backend (sign-in with lockouts): the session names it, and a backend missing
                # from AUTHENTICATION_BACKENDS would leave the new editor signed out on the next request.
                login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(request, _("Bienvenue : vous modifiez maintenant les données de %(organisation)s.") % {
                "organisation": invitation.organisation.name})
            return redirect("web:espace")
    return render(request, "collaboration/invitation.html", {"invitation": invitation, "form": form})
