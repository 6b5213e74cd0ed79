"""Writes of trainings: offer, change, cancel, register an organisation's people, record attendance.

Seats are never over-booked: a registration locks the training's row, then counts the seats taken.
"""
from django.db import IntegrityError, transaction
from django.db.models import Sum

from geo_backend.common.errors import DomainError, refuse_fields_outside
from geo_backend.common.locking import version_bump
from geo_backend.organisations import access
from geo_backend.organisations.access import Audience
from geo_backend.organisations.models import Membership, Organisation

from ..models import AgeBand, Sex, Training, TrainingAttendance, TrainingRegistration
from .notifications import notify_after_commit

TRAINING_FIELDS = {"title", "description", "format", "trainer_organisation", "network", "locality", "venue",
                   "start_date", "end_date", "seats", "materials", "status"}
TRAINING_RELATIONS = ("themes", "needs")
# The years a training may take place in. A date far outside (year 1 or 9999, typed by mistake) broke the public
# iCalendar feed for everyone (its exclusive end, the day after, is beyond what a date can hold).
TRAINING_YEARS = (2000, 2100)


def _check(fields: dict) -> None:
    network = fields.get("network")
    if network is not None and not network.is_network:
        raise DomainError("not_a_network", "Cette organisation n'est pas un réseau.",
                          "This organisation is not a network.")
    if fields.get("format", Training.Format.IN_PERSON) != Training.Format.REMOTE and fields.get("locality") is None:
        raise DomainError("place_required", "Indiquez le lieu d'une formation en présentiel ou hybride.",
                          "Give the place of an in-person or hybrid training.")
    first, last = TRAINING_YEARS
    if any(not first <= fields[name].year <= last for name in ("start_date", "end_date") if fields.get(name)):
        raise DomainError("dates_out_of_range", f"Les dates doivent être comprises entre {first} et {last}.",
                          f"The dates must fall between {first} and {last}.")
    if fields.get("start_date") and fields.get("end_date") and fields["end_date"] < fields["start_date"]:
        raise DomainError("dates_reversed", "La fin précède le début.", "The end comes before the start.")
    if fields.get("seats") is not None and fields["seats"] < 1:
        raise DomainError("seats_required", "Indiquez au moins une place.", "Give at least one seat.")


@transaction.atomic
def training_create(*, audience: Audience, fields: dict, themes: list, needs: list | None = None) -> Training:
    """The trainer organisation's editors (or the coordinators of the network it is offered in) offer a training."""
    refuse_fields_outside(fields, TRAINING_FIELDS - {"status"})
    trainer, network = fields["trainer_organisation"], fields.get("network")
    access.require_training_manager(audience, trainer_organisation_id=trainer.id,
                                    network_id=network.id if network else None)
    _check(fields)
    if not themes:
        raise DomainError("themes_required", "Choisissez au moins un thème.", "Choose at least one theme.")
    training = Training.objects.create(created_by_id=audience.user_id, is_demo=trainer.is_demo, **fields)
    training.themes.set(themes)
    training.needs.set(needs or [])
    return training


@transaction.atomic
def training_update(*, audience: Audience, training: Training, expected_version: int, fields: dict,
                    themes: list | None = None, needs: list | None = None) -> Training:
    """Changes a training (or cancels it: status "cancelled"), and the needs it answers, if nobody saved since."""
    access.require_training_manager(audience, trainer_organisation_id=training.trainer_organisation_id,
                                    network_id=training.network_id)
    refuse_fields_outside(fields, TRAINING_FIELDS - {"trainer_organisation"})
    merged = {name: getattr(training, name) for name in ("format", "locality", "start_date", "end_date", "seats",
                                                         "network")}
    merged.update(fields)
    _check(merged)
    if "network" in fields and fields["network"] is not None:
        access.require_training_manager(audience, trainer_organisation_id=training.trainer_organisation_id,
                                        network_id=fields["network"].id)
    if "seats" in fields and fields["seats"] < _seats_taken(training):
        raise DomainError("seats_below_registrations", "Moins de places que de personnes déjà inscrites.",
                          "Fewer seats than people already registered.", status_code=409)
    if themes is not None and not themes:
        raise DomainError("themes_required", "Choisissez au moins un thème.", "Choose at least one theme.")
    version_bump(Training, pk=training.pk, expected_version=expected_version, **fields)
    training.refresh_from_db()
    if themes is not None:
        training.themes.set(themes)
    if needs is not None:
        training.needs.set(needs)
    return training


def _seats_taken(training: Training, *, excluding: int | None = None) -> int:
    registrations = training.registrations.filter(status=TrainingRegistration.Status.REGISTERED)
    if excluding is not None:
        registrations = registrations.exclude(pk=excluding)
    return registrations.aggregate(n=Sum("participants"))["n"] or 0


@transaction.atomic
def training_register(*, audience: Audience, training: Training, organisation: Organisation, participants: int,
                      note: str = "") -> TrainingRegistration:
    """An organisation registers some of its people (a number, no names). A training offered in a network is for
    its accepted members; registrations stop at the number of seats."""
    access.require_training_registrant(audience, organisation_id=organisation.id)
    locked = Training.objects.select_for_update().get(pk=training.pk)
    if locked.status != Training.Status.OPEN:
        raise DomainError("training_closed", "Les inscriptions à cette formation sont closes.",
                          "Registrations to this training are closed.", status_code=409)
    if locked.network_id and not Membership.objects.filter(network_id=locked.network_id, member=organisation,
                                                           status=Membership.Status.ACCEPTED).exists():
        raise DomainError("not_a_member", "Cette formation est réservée aux membres du réseau.",
                          "This training is for the network's members only.", status_code=409)
    if participants < 1:
        raise DomainError("participants_required", "Inscrivez au moins une personne.", "Register at least one person.")
    if _seats_taken(locked) + participants > locked.seats:
        raise DomainError("no_seats_left", "Il ne reste pas assez de places.", "Not enough seats left.",
                          status_code=409, details={"seats_left": locked.seats - _seats_taken(locked)})
    try:
        with transaction.atomic():
            registration = TrainingRegistration.objects.create(
                training=locked, organisation=organisation, participants=participants, note=note[:300],
                registered_by_id=audience.user_id)
    except IntegrityError:
        raise DomainError("already_registered", "Cette organisation est déjà inscrite ; modifiez son inscription.",
                          "This organisation is already registered; change its registration.",
                          status_code=409) from None
    notify_after_commit("training_registered", registration_id=registration.id, actor_id=audience.user_id)
    return registration


@transaction.atomic
def training_registration_cancel(*, audience: Audience, registration: TrainingRegistration,
                                 expected_version: int) -> TrainingRegistration:
    """The registering organisation (or the training's managers) cancels a registration: its seats are free."""
    if not access.can_manage_training(audience, trainer_organisation_id=registration.training.trainer_organisation_id,
                                      network_id=registration.training.network_id):
        access.require_training_registrant(audience, organisation_id=registration.organisation_id)
    version_bump(TrainingRegistration, pk=registration.pk, expected_version=expected_version,
                 status=TrainingRegistration.Status.CANCELLED)
    registration.refresh_from_db()
    return registration


@transaction.atomic
def training_attendance_record(*, audience: Audience, registration: TrainingRegistration, expected_version: int,
                               counts: dict[tuple[str, str], int]) -> TrainingRegistration:
    """The trainer (or the network's coordinators) records who came, by sex and age band: {(sex, band): n}.
    Replaces what was recorded before for this registration."""
    training = registration.training
    access.require_training_manager(audience, trainer_organisation_id=training.trainer_organisation_id,
                                    network_id=training.network_id)
    for (sex, band), count in counts.items():
        if sex not in Sex.values or band not in AgeBand.values or not isinstance(count, int) or count < 0:
            raise DomainError("invalid_attendance", "Présence invalide (sexe, tranche d'âge, nombre).",
                              "Invalid attendance (sex, age band, number).")
    version_bump(TrainingRegistration, pk=registration.pk, expected_version=expected_version)
    registration.attendance.all().delete()
    TrainingAttendance.objects.bulk_create(
        TrainingAttendance(registration=registration, sex=sex, age_band=band, count=count)
        for (sex, band), count in sorted(counts.items()) if count)
    registration.refresh_from_db()
    return registration
