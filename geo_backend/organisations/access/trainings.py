"""Trainings: who manages an offer (the trainer organisation, the network's coordinators), who registers people for
it, who sees the offer and the registrations (counts of people, never names)."""
from django.db.models import Q

from .audience import Audience, _refuse_unless


def can_manage_training(audience: Audience, *, trainer_organisation_id: int, network_id: int | None) -> bool:
    """The trainer organisation's editors and the coordinators of the network it is offered in: they create and
    change the offer, link it to the needs it answers, and record attendance."""
    return not audience.is_visitor and (
        audience.is_admin or trainer_organisation_id in audience.editor_of
        or (network_id is not None and network_id in audience.coordinator_of))


def require_training_manager(audience: Audience, *, trainer_organisation_id: int, network_id: int | None) -> None:
    _refuse_unless(can_manage_training(audience, trainer_organisation_id=trainer_organisation_id,
                                       network_id=network_id), audience,
                   "Seules l'organisation formatrice et la coordination du réseau gèrent cette formation.",
                   "Only the trainer organisation and the network's coordinators manage this training.")


def can_register_for_training(audience: Audience, *, organisation_id: int) -> bool:
    """An organisation's editors register its people; a coordinator may register the network's members."""
    return not audience.is_visitor and (audience.is_admin or organisation_id in audience.editor_of
                                        or organisation_id in audience.coordinated_members)


def require_training_registrant(audience: Audience, *, organisation_id: int) -> None:
    _refuse_unless(can_register_for_training(audience, organisation_id=organisation_id), audience,
                   "Vous ne pouvez inscrire que des personnes de votre organisation (ou des membres de votre réseau).",
                   "You can only register people of your organisation (or members of your network).")


def visible_training_registrations_q(audience: Audience, prefix: str = "") -> Q:
    """Registrations (counts of people, never names): the registering organisation, the trainer organisation, the
    network's coordinators, the coordinators of the registering member, and administrators."""
    p = prefix
    if audience.is_admin:
        return Q()
    if audience.is_visitor:
        return Q(pk__in=[])
    return (Q(**{f"{p}organisation_id__in": audience.editor_of | audience.coordinated_members})
            | Q(**{f"{p}training__trainer_organisation_id__in": audience.editor_of})
            | Q(**{f"{p}training__network_id__in": audience.coordinator_of}))


def visible_trainings_q(audience: Audience, prefix: str = "") -> Q:
    """Trainings are public once their trainer organisation is active; before that, only its managers see them."""
    p = prefix
    if audience.is_admin:
        return Q()
    public = Q(**{f"{p}trainer_organisation__status": "active"})
    if audience.is_visitor:
        return public
    return (public | Q(**{f"{p}trainer_organisation_id__in": audience.editor_of})
            | Q(**{f"{p}network_id__in": audience.coordinator_of}))


def training_registrable_organisations_q(audience: Audience, prefix: str = "") -> Q:
    """The organisations whose people this person may register for a training (can_register_for_training)."""
    if audience.is_admin:
        return Q()
    if audience.is_visitor:
        return Q(pk__in=[])
    return Q(**{f"{prefix}id__in": audience.editor_of | audience.coordinated_members})
