"""Writes of mentoring: a network's coordinators record pairs, their themes and a follow-up log, and close them."""
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from geo_backend.common.errors import DomainError
from geo_backend.common.locking import version_bump
from geo_backend.organisations import access
from geo_backend.organisations.access import Audience
from geo_backend.organisations.models import Organisation

from ..models import MentoringLogEntry, MentoringPair


def _check_names(mentor_name: str, mentee_name: str) -> None:
    if not mentor_name.strip() or not mentee_name.strip():
        raise DomainError("names_required", "Indiquez la mentore et la mentorée.", "Give the mentor and the mentee.")
    if len(mentor_name) > 120 or len(mentee_name) > 120:
        raise DomainError("name_too_long", "Nom trop long (120 caractères au plus).",
                          "Name too long (120 characters at most).")


def _user_or_none(username: str | None):
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise DomainError("unknown_account", f"Compte inconnu : {username}.", f"Unknown account: {username}.")
    return user


@transaction.atomic
def mentoring_pair_create(*, audience: Audience, network: Organisation, mentor_name: str, mentee_name: str,
                          themes: list, started_on=None, mentor_username: str | None = None,
                          mentee_username: str | None = None) -> MentoringPair:
    """A network's coordinator records a pair between an experienced and a beginning woman leader. If they have
    accounts (by username), each then sees her own pair."""
    access.require_mentoring_recorder(audience, network_id=network.id)
    _check_names(mentor_name, mentee_name)
    if not themes:
        raise DomainError("themes_required", "Choisissez au moins un thème.", "Choose at least one theme.")
    pair = MentoringPair.objects.create(
        network=network, mentor_name=mentor_name.strip(), mentee_name=mentee_name.strip(),
        mentor_user=_user_or_none(mentor_username), mentee_user=_user_or_none(mentee_username),
        started_on=started_on or timezone.localdate(), created_by_id=audience.user_id, is_demo=network.is_demo)
    pair.themes.set(themes)
    return pair


@transaction.atomic
def mentoring_log_add(*, audience: Audience, pair: MentoringPair, date, note: str) -> MentoringLogEntry:
    """The coordinator adds a follow-up entry (a session, what was shared, next steps)."""
    access.require_mentoring_recorder(audience, network_id=pair.network_id)
    if not note.strip():
        raise DomainError("note_required", "Écrivez le suivi.", "Write the follow-up.")
    if pair.status == MentoringPair.Status.CLOSED:
        raise DomainError("pair_closed", "Ce binôme est terminé.", "This pair is closed.", status_code=409)
    return MentoringLogEntry.objects.create(pair=pair, date=date or timezone.localdate(), note=note.strip()[:5000],
                                            written_by_id=audience.user_id)


@transaction.atomic
def mentoring_pair_close(*, audience: Audience, pair: MentoringPair, expected_version: int) -> MentoringPair:
    access.require_mentoring_recorder(audience, network_id=pair.network_id)
    if pair.status == MentoringPair.Status.CLOSED:
        raise DomainError("pair_closed", "Ce binôme est déjà terminé.", "This pair is already closed.",
                          status_code=409)
    version_bump(MentoringPair, pk=pair.pk, expected_version=expected_version, status=MentoringPair.Status.CLOSED,
                 ended_on=max(timezone.localdate(), pair.started_on))
    pair.refresh_from_db()
    return pair
