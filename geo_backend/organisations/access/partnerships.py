"""Partnerships between organisations: who proposes, answers (never the person who proposed), withdraws and ends
them, and who reads them (accepted ones are public; the rest belong to the two organisations)."""
from django.db.models import Q

from .audience import Audience, _refuse_unless, forbidden, require_signed_in


def can_propose_partnership(audience: Audience, *, proposer_id: int) -> bool:
    """An organisation's editors propose partnerships in its name (administrators in any organisation's name)."""
    return not audience.is_visitor and (audience.is_admin or proposer_id in audience.editor_of)


def partnership_proposers_among(audience: Audience, organisation_ids: list[int]) -> list[int]:
    """Of these organisations, those this person edits and may propose a partnership for, in the same order (the
    dashboard prefills a proposal for them; an administrator who edits neither gets none)."""
    return [pk for pk in organisation_ids
            if can_propose_partnership(audience, proposer_id=pk) and pk in audience.editor_of]


def require_partnership_proposer(audience: Audience, *, proposer_id: int) -> None:
    _refuse_unless(can_propose_partnership(audience, proposer_id=proposer_id), audience,
                   "Vous ne pouvez proposer un partenariat qu'au nom de votre organisation.",
                   "You can only propose a partnership in your own organisation's name.")


def can_answer_partnership(audience: Audience, *, partner_id: int, proposed_by_id: int | None) -> bool:
    """The partner organisation's editors (or an administrator) accept or decline; never the person who proposed,
    even when she also edits the partner organisation: nobody accepts their own proposal."""
    if audience.is_visitor or audience.user_id == proposed_by_id:
        return False
    return audience.is_admin or partner_id in audience.editor_of


def require_partnership_answerer(audience: Audience, *, partner_id: int, proposed_by_id: int | None) -> None:
    require_signed_in(audience)
    if audience.user_id == proposed_by_id:
        raise forbidden("Vous ne pouvez pas répondre à votre propre proposition : une autre personne de "
                        "l'organisation partenaire doit le faire.",
                        "You cannot answer your own proposal: another person of the partner organisation must.")
    _refuse_unless(can_answer_partnership(audience, partner_id=partner_id, proposed_by_id=proposed_by_id), audience,
                   "Seule l'organisation à qui le partenariat est proposé peut y répondre.",
                   "Only the organisation the partnership is proposed to can answer it.")


def can_withdraw_partnership(audience: Audience, *, proposer_id: int) -> bool:
    return not audience.is_visitor and (audience.is_admin or proposer_id in audience.editor_of)


def require_partnership_withdrawer(audience: Audience, *, proposer_id: int) -> None:
    _refuse_unless(can_withdraw_partnership(audience, proposer_id=proposer_id), audience,
                   "Seule l'organisation qui a proposé peut retirer sa proposition.",
                   "Only the proposing organisation can withdraw its proposal.")


def can_end_partnership(audience: Audience, *, proposer_id: int, partner_id: int) -> bool:
    return not audience.is_visitor and (audience.is_admin or proposer_id in audience.editor_of
                                        or partner_id in audience.editor_of)


def require_partnership_party(audience: Audience, *, proposer_id: int, partner_id: int) -> None:
    _refuse_unless(can_end_partnership(audience, proposer_id=proposer_id, partner_id=partner_id), audience,
                   "Seules les deux organisations du partenariat peuvent y mettre fin.",
                   "Only the two organisations of the partnership can end it.")


def visible_partnerships_q(audience: Audience, prefix: str = "") -> Q:
    """Accepted partnerships between active organisations are public (profiles, map). Proposals, refusals, ended
    partnerships and the messages exchanged are read by the two organisations' editors and administrators."""
    p = prefix
    public = Q(**{f"{p}status": "accepted", f"{p}proposer__status": "active", f"{p}partner__status": "active"})
    if audience.is_admin:
        return Q()
    if audience.is_visitor:
        return public
    return public | partnership_parties_q(audience, prefix)


def partnership_parties_q(audience: Audience, prefix: str = "") -> Q:
    """The partnerships in which this person speaks for one side (messages and history are theirs to read)."""
    if audience.is_admin:
        return Q()
    return Q(**{f"{prefix}proposer_id__in": audience.editor_of}) | Q(**{f"{prefix}partner_id__in": audience.editor_of})
