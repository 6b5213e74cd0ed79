"""Who may write what in the collaboration API: every write endpoint × every role (the world of conftest.py).

The registry's matrix (tests/zones/test_api_permissions.py) refuses any write endpoint it does not know; it
leaves those listed in COLLABORATION_WRITES to this module, whose own guard checks that every collaboration write
endpoint of the API is here. A refusal must change nothing (registry and collaboration tables unchanged).
"""
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from geo_backend.api import urls as api_urls
from geo_backend.collaboration.api import urls as collaboration_urls
from geo_backend.collaboration.models import (
    Assessment,
    MentoringPair,
    Notification,
    NotificationPreference,
    Partnership,
    Training,
    TrainingRegistration,
)
from tests import factories

from .conftest import ROLES, SEGOU_COMMUNE, World, collaboration_snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


def reloaded(record):
    return type(record).objects.filter(pk=record.pk).first()


@dataclass
class Endpoint:
    method: str
    url: Callable[[World], str]
    body: Callable[[World], dict]
    changed: Callable[[World], bool]
    target: Callable[[World], object] | None = None  # the record whose version goes in If-Match


THIS_YEAR = dt.date.today().year
ENDPOINTS = {
    "POST /partnerships/": Endpoint(
        "post", lambda w: "/api/v1/partnerships/",
        lambda w: {"proposer": w.org.id, "partner": w.other_org.id, "role": "joint_action", "areas": [SEGOU_COMMUNE],
                   "themes": ["vbg"], "message": "Agissons ensemble"},
        lambda w: Partnership.objects.filter(role="joint_action").exists()),
    "POST /partnerships/{id}/accept/": Endpoint(
        "post", lambda w: f"/api/v1/partnerships/{w.proposal.id}/accept/", lambda w: {},
        lambda w: reloaded(w.proposal).status == "accepted", target=lambda w: w.proposal),
    "POST /partnerships/{id}/decline/": Endpoint(
        "post", lambda w: f"/api/v1/partnerships/{w.proposal.id}/decline/", lambda w: {"note": "Pas cette année"},
        lambda w: reloaded(w.proposal).status == "declined", target=lambda w: w.proposal),
    "POST /partnerships/{id}/withdraw/": Endpoint(
        "post", lambda w: f"/api/v1/partnerships/{w.proposal.id}/withdraw/", lambda w: {},
        lambda w: reloaded(w.proposal).status == "withdrawn", target=lambda w: w.proposal),
    "POST /partnerships/{id}/end/": Endpoint(
        "post", lambda w: f"/api/v1/partnerships/{w.partnership.id}/end/", lambda w: {},
        lambda w: reloaded(w.partnership).status == "ended", target=lambda w: w.partnership),
    "POST /trainings/": Endpoint(
        "post", lambda w: "/api/v1/trainings/",
        lambda w: {"title": "Nouvelle formation", "trainer_organisation": w.org.id, "format": "remote",
                   "start_date": "2030-05-01", "end_date": "2030-05-02", "seats": 12, "themes": ["vbg"]},
        lambda w: Training.objects.filter(title="Nouvelle formation").exists()),
    "PATCH /trainings/{id}/": Endpoint(
        "patch", lambda w: f"/api/v1/trainings/{w.training.id}/", lambda w: {"seats": 30},
        lambda w: reloaded(w.training).seats == 30, target=lambda w: w.training),
    "POST /trainings/{id}/registrations/": Endpoint(
        "post", lambda w: f"/api/v1/trainings/{w.other_training.id}/registrations/",
        lambda w: {"organisation": w.org.id, "participants": 2},
        lambda w: TrainingRegistration.objects.filter(training=w.other_training, organisation=w.org).exists()),
    "POST /training-registrations/{id}/cancel/": Endpoint(
        "post", lambda w: f"/api/v1/training-registrations/{w.registration.id}/cancel/", lambda w: {},
        lambda w: reloaded(w.registration).status == "cancelled", target=lambda w: w.registration),
    "PUT /training-registrations/{id}/attendance/": Endpoint(
        "put", lambda w: f"/api/v1/training-registrations/{w.registration.id}/attendance/",
        lambda w: {"attendance": [{"sex": "female", "age_band": "18_24", "count": 2},
                                  {"sex": "female", "age_band": "25_34", "count": 1}]},
        lambda w: reloaded(w.registration).attendance.count() == 2, target=lambda w: w.registration),
    "POST /mentoring/pairs/": Endpoint(
        "post", lambda w: "/api/v1/mentoring/pairs/",
        lambda w: {"network": w.network.id, "mentor_name": "Fatoumata (exemple)", "mentee_name": "Awa (exemple)",
                   "themes": ["participation-politique"]},
        lambda w: MentoringPair.objects.filter(mentee_name="Awa (exemple)").exists()),
    "POST /mentoring/pairs/{id}/log/": Endpoint(
        "post", lambda w: f"/api/v1/mentoring/pairs/{w.pair.id}/log/", lambda w: {"note": "Première rencontre"},
        lambda w: reloaded(w.pair).log.exists()),
    "POST /mentoring/pairs/{id}/close/": Endpoint(
        "post", lambda w: f"/api/v1/mentoring/pairs/{w.pair.id}/close/", lambda w: {},
        lambda w: reloaded(w.pair).status == "closed", target=lambda w: w.pair),
    "POST /assessments/": Endpoint(
        "post", lambda w: "/api/v1/assessments/",
        lambda w: {"organisation": w.org.id, "year": THIS_YEAR, "answers": []},
        lambda w: Assessment.objects.filter(organisation=w.org, year=THIS_YEAR).exists()),
    "PUT /assessments/{id}/": Endpoint(
        "put", lambda w: f"/api/v1/assessments/{w.assessment.id}/",
        lambda w: {"answers": [{"question": w.assessment.questionnaire.questions.first().id, "score": 2}]},
        lambda w: reloaded(w.assessment).answers.exists(), target=lambda w: w.assessment),
    "POST /notifications/read/": Endpoint(
        "post", lambda w: (w.notifications, "/api/v1/notifications/read/")[1], lambda w: {},
        lambda w: Notification.objects.filter(read_at__isnull=False).exists()),
    "PUT /notifications/preferences/": Endpoint(
        "put", lambda w: "/api/v1/notifications/preferences/", lambda w: {"email_enabled": False},
        lambda w: NotificationPreference.objects.filter(email_enabled=False).exists()),
}

# Expected status per role. Partnerships: A's editor proposed to B (so B's editor answers; A's editor may not
# accept her own proposal); proposals are read only by the two organisations (others: 404); the accepted
# partnership of A and B is public (others: 403). Trainings: A's training, and A registering people to B's training
# (B's editor manages it; N's coordinator may register her member A). Mentoring: network N's pair, named only for
# N's coordinator (others: 404; administrators neither record nor read names). Assessments: A's own, scored only
# by A's editor; N's coordinator reads it but may not change it. Notifications: one's own.
MATRIX = [
    # endpoint                                   visitor editor other_ed coord other_co donor admin
    ("POST /partnerships/",                        401,   201,   403,     403,  403,     403,  201),
    ("POST /partnerships/{id}/accept/",            401,   403,   200,     404,  404,     404,  200),
    ("POST /partnerships/{id}/decline/",           401,   403,   200,     404,  404,     404,  200),
    ("POST /partnerships/{id}/withdraw/",          401,   200,   403,     404,  404,     404,  200),
    ("POST /partnerships/{id}/end/",               401,   200,   200,     403,  403,     403,  200),
    ("POST /trainings/",                           401,   201,   403,     403,  403,     403,  201),
    ("PATCH /trainings/{id}/",                     401,   200,   403,     403,  403,     403,  200),
    ("POST /trainings/{id}/registrations/",        401,   201,   403,     201,  403,     403,  201),
    ("POST /training-registrations/{id}/cancel/",  401,   200,   200,     200,  404,     404,  200),
    ("PUT /training-registrations/{id}/attendance/", 401, 403,   200,     403,  404,     404,  200),
    ("POST /mentoring/pairs/",                     401,   403,   403,     201,  403,     403,  403),
    ("POST /mentoring/pairs/{id}/log/",            401,   404,   404,     201,  404,     404,  404),
    ("POST /mentoring/pairs/{id}/close/",          401,   404,   404,     200,  404,     404,  404),
    ("POST /assessments/",                         401,   201,   403,     403,  403,     403,  403),
    ("PUT /assessments/{id}/",                     401,   200,   404,     403,  404,     404,  404),
    ("POST /notifications/read/",                  401,   200,   200,     200,  200,     200,  200),
    ("PUT /notifications/preferences/",            401,   200,   200,     200,  200,     200,  200),
]


def operations(patterns) -> set[str]:
    """Every "METHOD /path/" of these URL patterns whose view accepts POST, PUT, PATCH or DELETE."""
    found = set()
    for pattern in patterns:
        view = getattr(pattern.callback, "view_class", None) or getattr(pattern.callback, "cls", None)
        path = "/" + re.sub(r"<(?:\w+:)?\w+>", "{id}", str(pattern.pattern))
        found |= {f"{method.upper()} {path}" for method in ("post", "put", "patch", "delete") if hasattr(view, method)}
    return found


# The registry's matrix leaves these to this module.
COLLABORATION_WRITES = frozenset(operations(collaboration_urls.urlpatterns))


def test_the_matrix_covers_every_collaboration_write_endpoint():
    assert [row[0] for row in MATRIX] == list(ENDPOINTS)
    assert COLLABORATION_WRITES == set(ENDPOINTS)
    assert COLLABORATION_WRITES <= operations(api_urls.urlpatterns)  # they are served under /api/v1/


def matrix_cases() -> list:
    return [pytest.param(endpoint, role, status, id=f"{endpoint} as {role} -> {status}")
            for endpoint, *statuses in MATRIX for role, status in zip(ROLES, statuses, strict=True)]


@pytest.mark.parametrize(("endpoint", "role", "expected"), matrix_cases())
def test_collaboration_write_permission(world, endpoint, role, expected):
    write = ENDPOINTS[endpoint]
    url, body = write.url(world), write.body(world)  # creates the target records before the snapshots
    before = (factories.registry_snapshot(), collaboration_snapshot())
    headers = {"HTTP_IF_MATCH": factories.if_match(write.target(world))} if write.target else {}
    response = getattr(factories.api_client(world.people[role]), write.method)(url, body, format="json", **headers)
    if expected < 400:
        assert response.status_code == expected, response.content
        assert write.changed(world)
        return
    assert (factories.registry_snapshot(), collaboration_snapshot()) == before, "a refused request wrote something"
    assert not write.changed(world)
    assert response.status_code == expected, response.content[:300]
    assert set(response.json()["message"]) == {"fr", "en"}
