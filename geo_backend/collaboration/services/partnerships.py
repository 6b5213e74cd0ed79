"""Writes of partnerships: propose, accept, decline, withdraw, end. Each public function is one transaction.

Every transition locks the partnership's row and checks its state on the locked row, then bumps its version in
the same UPDATE that checks it (common/locking.py): two people answering at once cannot both succeed.
"""
from django.db import IntegrityError, transaction
from django.utils import timezone

from geo_backend.common.errors import DomainError
from geo_backend.common.locking import version_bump
from geo_backend.organisations import access
from geo_backend.organisations.access import Audience
from geo_backend.organisations.models import Organisation
from geo_backend.regions.models import AdminUnit
from geo_backend.taxonomy.models import Theme

from ..models import Partnership, PartnershipLogEntry, PartnershipRole
from .notifications import notify_after_commit

MESSAGE_MAX = 2000


def _pending_exists() -> DomainError:
    return DomainError("partnership_pending_exists",
                       "Une proposition de partenariat attend déjà une réponse entre ces deux organisations.",
                       "A partnership proposal between these two organisations is already awaiting an answer.",
                       status_code=409)


def _check_places_and_themes(areas: list[AdminUnit], themes: list[Theme]) -> None:
    if not areas:
        raise DomainError("areas_required", "Choisissez au moins un lieu (commune, cercle ou région).",
                          "Choose at least one place (commune, cercle or region).")
    if any(area.level not in (1, 2, 3) for area in areas) or len({area.edition_id for area in areas}) > 1:
        raise DomainError("invalid_area", "Les lieux sont des régions, cercles ou communes d'une même édition.",
                          "Places are regions, cercles or communes of one edition.")
    if not themes:
        raise DomainError("themes_required", "Choisissez au moins un thème.", "Choose at least one theme.")


@transaction.atomic
def partnership_propose(*, audience: Audience, proposer: Organisation, partner: Organisation, role: str,
                        areas: list[AdminUnit], themes: list[Theme], message: str = "") -> Partnership:
    """An organisation's editor proposes a partnership to another organisation on some places and themes, with a
    proposed role and a message. The partner's editors are told; the proposal waits for their answer."""
    access.require_partnership_proposer(audience, proposer_id=proposer.id)
    if proposer.id == partner.id:
        raise DomainError("partnership_self", "Une organisation ne peut pas être sa propre partenaire.",
                          "An organisation cannot partner with itself.")
    if Organisation.Status.ACTIVE != proposer.status or Organisation.Status.ACTIVE != partner.status:
        raise DomainError("organisation_not_active", "Les deux organisations doivent être actives.",
                          "Both organisations must be active.")
    if role not in PartnershipRole.values:
        raise DomainError("invalid_role", "Rôle de partenariat inconnu.", "Unknown partnership role.")
    if len(message) > MESSAGE_MAX:
        raise DomainError("message_too_long", "Message trop long (2 000 caractères au plus).",
                          "Message too long (2,000 characters at most).")
    _check_places_and_themes(areas, themes)
    try:
        with transaction.atomic():  # a savepoint: a concurrent proposal for the same pair fails cleanly
            partnership = Partnership.objects.create(proposer=proposer, partner=partner, role=role, message=message,
                                                     proposed_by_id=audience.user_id,
                                                     is_demo=proposer.is_demo and partner.is_demo)
    except IntegrityError:
        raise _pending_exists() from None
    partnership.areas.set(areas)
    partnership.themes.set(themes)
    PartnershipLogEntry.objects.create(partnership=partnership, kind=PartnershipLogEntry.Kind.PROPOSED,
                                       organisation=proposer, user_id=audience.user_id, note=message)
    notify_after_commit("partnership_changed", partnership_id=partnership.id, actor_id=audience.user_id)
    return partnership


def _locked(partnership: Partnership, allowed_from: set[str]) -> Partnership:
    current = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if current.status not in allowed_from:
        raise DomainError("invalid_transition", "Ce partenariat a déjà changé d'état : rechargez la page.",
                          "This partnership has already changed state: reload the page.", status_code=409)
    return current


def _record(partnership: Partnership, expected_version: int, *, audience: Audience, kind: str, side: int,
            note: str, **changes) -> Partnership:
    version_bump(Partnership, pk=partnership.pk, expected_version=expected_version, status=kind, **changes)
    PartnershipLogEntry.objects.create(partnership=partnership, kind=kind, organisation_id=side,
                                       user_id=audience.user_id, note=note[:MESSAGE_MAX])
    notify_after_commit("partnership_changed", partnership_id=partnership.id, actor_id=audience.user_id)
    partnership.refresh_from_db()
    return partnership


def _answer(*, audience: Audience, partnership: Partnership, expected_version: int, accept: bool,
            note: str) -> Partnership:
    access.require_partnership_answerer(audience, partner_id=partnership.partner_id,
                                        proposed_by_id=partnership.proposed_by_id)
    current = _locked(partnership, {Partnership.Status.PROPOSED})
    now = timezone.now()
    extra = {"since": timezone.localdate()} if accept else {}
    kind = Partnership.Status.ACCEPTED if accept else Partnership.Status.DECLINED
    return _record(current, expected_version, audience=audience, kind=kind, side=current.partner_id, note=note,
                   decided_by_id=audience.user_id, decided_at=now, **extra)


@transaction.atomic
def partnership_accept(*, audience: Audience, partnership: Partnership, expected_version: int,
                       note: str = "") -> Partnership:
    """The partner organisation accepts (never the person who proposed). From then on, the overlaps of the two
    organisations in its places and on its themes count as coordinated."""
    return _answer(audience=audience, partnership=partnership, expected_version=expected_version, accept=True,
                   note=note)


@transaction.atomic
def partnership_decline(*, audience: Audience, partnership: Partnership, expected_version: int,
                        note: str = "") -> Partnership:
    """The partner organisation declines: the proposal stays in both organisations' history, analytics unchanged."""
    return _answer(audience=audience, partnership=partnership, expected_version=expected_version, accept=False,
                   note=note)


@transaction.atomic
def partnership_withdraw(*, audience: Audience, partnership: Partnership, expected_version: int,
                         note: str = "") -> Partnership:
    """The proposing organisation withdraws a proposal not yet answered."""
    access.require_partnership_withdrawer(audience, proposer_id=partnership.proposer_id)
    current = _locked(partnership, {Partnership.Status.PROPOSED})
    return _record(current, expected_version, audience=audience, kind=Partnership.Status.WITHDRAWN,
                   side=current.proposer_id, note=note)


@transaction.atomic
def partnership_end(*, audience: Audience, partnership: Partnership, expected_version: int,
                    note: str = "") -> Partnership:
    """Either organisation ends an accepted partnership: its overlaps become uncoordinated again."""
    access.require_partnership_party(audience, proposer_id=partnership.proposer_id, partner_id=partnership.partner_id)
    current = _locked(partnership, {Partnership.Status.ACCEPTED})
    side = current.proposer_id if current.proposer_id in audience.editor_of else current.partner_id
    return _record(current, expected_version, audience=audience, kind=Partnership.Status.ENDED, side=side,
                   note=note, until=timezone.localdate())
