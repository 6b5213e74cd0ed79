"""Inviting a person by e-mail to become an editor of an organisation.

The link carries the invitation's id signed with a timestamp (django.core.signing.TimestampSigner): it cannot be
forged, and it expires. It works once: accepting claims the invitation with one conditional UPDATE (used_at still
empty), so a double click, or two browsers at once, cannot both use it; the second is refused.
"""
import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from geo_backend.common.errors import DomainError
from geo_backend.organisations.access import Audience, require_editor_inviter
from geo_backend.organisations.models import Organisation, OrganisationRole

from ..models import EditorInvitation
from .notifications import email_dispatch, site_url

SALT = "musoya.collaboration.editor-invitation"


def invitation_max_age() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "MUSOYA_INVITATION_DAYS", 7))


def invitation_token(invitation: EditorInvitation) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(invitation.pk))


def invitation_link(invitation: EditorInvitation) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return site_url() + reverse("collaboration:invitation", args=[invitation_token(invitation)])


@transaction.atomic
def editor_invitation_create(*, audience: Audience, organisation: Organisation, email: str) -> EditorInvitation:
    """An administrator, or a coordinator of one of the organisation's networks, invites a person by e-mail; the
    link is e-mailed after the commit (and shown to the inviter, to pass on another way if need be)."""
    require_editor_inviter(audience, organisation_id=organisation.id)
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise DomainError("invalid_email", "Adresse électronique invalide.", "Invalid e-mail address.")
    invitation = EditorInvitation.objects.create(organisation=organisation, email=email, invited_by_id=audience.user_id,
                                                 expires_at=timezone.now() + invitation_max_age())
    with translation.override(settings.LANGUAGE_CODE):
        body = _("Vous êtes invité·e à modifier les données de « %(organisation)s » sur Musoya. Ouvrez ce lien pour "
                 "choisir votre mot de passe (valable %(days)s jours, une seule fois) :\n\n%(link)s") % {
            "organisation": organisation.name, "days": invitation_max_age().days, "link": invitation_link(invitation)}
        message = EmailMessage(subject=_("Invitation à éditer sur Musoya"), body=body, to=[email])
    transaction.on_commit(lambda: email_dispatch([message]), robust=True)
    return invitation


def _refused(code: str, french: str, english: str) -> DomainError:
    return DomainError(code, french, english, status_code=410 if code != "invitation_invalid" else 400)


def _already_used() -> DomainError:
    return _refused("invitation_used", "Ce lien d'invitation a déjà servi.", "This invitation link was already used.")


def editor_invitation_resolve(token: str) -> EditorInvitation:
    """The invitation a link names, if the link is genuine, not expired and not used; refuses otherwise."""
    try:
        pk = signing.TimestampSigner(salt=SALT).unsign(token, max_age=invitation_max_age())
    except signing.SignatureExpired:
        raise _refused("invitation_expired", "Ce lien d'invitation a expiré : demandez-en un nouveau.",
                       "This invitation link has expired: ask for a new one.") from None
    except signing.BadSignature:
        raise _refused("invitation_invalid", "Lien d'invitation invalide.", "Invalid invitation link.") from None
    invitation = EditorInvitation.objects.select_related("organisation").filter(pk=int(pk)).first()
    if invitation is None:
        raise _refused("invitation_invalid", "Lien d'invitation invalide.", "Invalid invitation link.")
    if invitation.used_at is not None:
        raise _already_used()
    return invitation


@transaction.atomic
def editor_invitation_accept(*, token: str, user=None, username: str = "", password: str = ""):
    """Uses the invitation once: for the signed-in person (user), or for a new account with the username and
    password the person chose. Returns the user, now an editor of the organisation."""
    invitation = editor_invitation_resolve(token)
    if user is not None and user.pk == invitation.invited_by_id:
        raise DomainError("own_invitation", "Vous ne pouvez pas utiliser votre propre invitation.",
                          "You cannot use your own invitation.", status_code=403)
    claimed = EditorInvitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(used_at=timezone.now())
    if not claimed:  # someone used it between the check and now (a double click)
        raise _already_used()
    if user is None:
        user = _new_account(username.strip(), password, invitation.email)
    EditorInvitation.objects.filter(pk=invitation.pk).update(used_by=user)
    OrganisationRole.objects.get_or_create(user=user, organisation=invitation.organisation,
                                           role=OrganisationRole.Role.EDITOR)
    return user


def _new_account(username: str, password: str, email: str):
    User = get_user_model()
    if not username or len(username) > 150:
        raise DomainError("username_required", "Choisissez un identifiant.", "Choose a username.")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError("username_taken", "Cet identifiant est déjà pris.", "This username is already taken.",
                          status_code=409)
    candidate = User(username=username, email=email)
    try:
        validate_password(password, candidate)
    except ValidationError as error:
        raise DomainError("password_too_weak", "Mot de passe trop faible : " + " ".join(error.messages),
                          "Password too weak: " + " ".join(error.messages)) from None
    candidate.set_password(password)
    candidate.save()
    return candidate
