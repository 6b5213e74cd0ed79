"""People are told when something needs or concerns them, in the site and by e-mail, and telling them never
blocks or breaks the request that caused it."""
import logging

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from geo_backend.collaboration.models import Notification, NotificationPreference
from geo_backend.collaboration.services import notifications
from geo_backend.organisations.models import Membership
from geo_backend.zones import services as zone_services
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


class BrokenBackend(BaseEmailBackend):
    """A mail server that refuses everything."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the SMTP server is down")


def kinds_for(person) -> list[str]:
    return sorted(Notification.objects.filter(recipient=person).values_list("kind", flat=True))


def sent_to(address) -> list:
    notifications.emails_wait()
    return [message for message in mail.outbox if address in message.to]


def test_a_submitted_declaration_tells_the_networks_coordinators_only(world, django_capture_on_commit_callbacks):
    draft = factories.intervention_in_units(world.org, state="draft")
    with django_capture_on_commit_callbacks(execute=True):
        response = factories.api_client(world.people["editor"]).post(
            f"/api/v1/interventions/{draft.id}/submit/", {}, format="json", HTTP_IF_MATCH=factories.if_match(draft))
    assert response.status_code == 200
    assert kinds_for(world.people["coordinator"]) == ["declaration_submitted"]
    for role in ("editor", "other_coordinator", "other_editor", "donor", "admin"):
        assert kinds_for(world.people[role]) == [], role
    (message,) = sent_to(world.people["coordinator"].email)
    assert draft.title in message.subject and "/espace/validation/" in message.body


def test_validation_and_rejection_tell_the_organisations_editors_with_the_reason(world,
                                                                                django_capture_on_commit_callbacks):
    coordinator = factories.api_client(world.people["coordinator"])
    first = factories.intervention_in_units(world.org, state="submitted")
    second = factories.intervention_in_units(world.org, state="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(f"/api/v1/interventions/{first.id}/validate/", {}, format="json",
                         HTTP_IF_MATCH=factories.if_match(first))
        coordinator.post(f"/api/v1/interventions/{second.id}/reject/", {"reason": "Zone trop large"}, format="json",
                         HTTP_IF_MATCH=factories.if_match(second))
    assert kinds_for(world.people["editor"]) == ["declaration_rejected", "declaration_validated"]
    rejected = Notification.objects.get(recipient=world.people["editor"], kind="declaration_rejected")
    assert "Zone trop large" in notifications.notification_text(rejected)
    assert kinds_for(world.people["coordinator"]) == []  # never the person who acted
    assert len(sent_to(world.people["editor"].email)) == 2


def test_a_refused_change_tells_nobody(world, django_capture_on_commit_callbacks):
    submitted = factories.intervention_in_units(world.org, state="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        response = factories.api_client(world.people["editor"]).post(
            f"/api/v1/interventions/{submitted.id}/validate/", {}, format="json",
            HTTP_IF_MATCH=factories.if_match(submitted))
    assert response.status_code == 403
    assert not Notification.objects.exists()


def test_people_who_turned_email_off_are_told_in_the_site_only(world, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=world.people["coordinator"], email_enabled=False)
    draft = factories.intervention_in_units(world.org, state="draft")
    with django_capture_on_commit_callbacks(execute=True):
        zone_services.intervention_submit(audience=world.audience("editor"), intervention=draft,
                                          expected_version=draft.version)
    assert kinds_for(world.people["coordinator"]) == ["declaration_submitted"]
    assert sent_to(world.people["coordinator"].email) == []


def test_an_email_in_the_persons_language(world, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=world.people["coordinator"], language="en")
    draft = factories.intervention_in_units(world.org, state="draft")
    with django_capture_on_commit_callbacks(execute=True):
        zone_services.intervention_submit(audience=world.audience("editor"), intervention=draft,
                                          expected_version=draft.version)
    (message,) = sent_to(world.people["coordinator"].email)
    assert message.subject.startswith("Musoya : Declaration to validate"), message.subject


def test_a_failing_mail_server_is_logged_never_raised(world, settings, caplog, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.collaboration.test_notifications.BrokenBackend"
    submitted = factories.intervention_in_units(world.org, state="submitted")
    with caplog.at_level(logging.WARNING, logger="musoya.notifications"):
        with django_capture_on_commit_callbacks(execute=True):
            response = factories.api_client(world.people["coordinator"]).post(
                f"/api/v1/interventions/{submitted.id}/validate/", {}, format="json",
                HTTP_IF_MATCH=factories.if_match(submitted))
        notifications.emails_wait()  # the e-mails are queued when the commit callbacks run, on leaving the block
    assert response.status_code == 200
    assert kinds_for(world.people["editor"]) == ["declaration_validated"]  # told in the site all the same
    assert any("failed" in record.getMessage() for record in caplog.records)


def test_a_failing_notification_never_breaks_the_request(world, monkeypatch, caplog,
                                                        django_capture_on_commit_callbacks):
    def broken(**params):
        raise RuntimeError("bug in a notification")

    monkeypatch.setitem(notifications.EVENTS, "declaration_validated", broken)
    submitted = factories.intervention_in_units(world.org, state="submitted")
    with caplog.at_level(logging.ERROR, logger="musoya.notifications"), \
            django_capture_on_commit_callbacks(execute=True):
        response = factories.api_client(world.people["coordinator"]).post(
            f"/api/v1/interventions/{submitted.id}/validate/", {}, format="json",
            HTTP_IF_MATCH=factories.if_match(submitted))
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.validation_state == "validated"
    assert any("declaration_validated" in record.getMessage() for record in caplog.records)


def test_email_is_sent_by_the_background_mailer_not_the_request(world, settings, django_capture_on_commit_callbacks):
    """The request returns before the mail server is reached: the mailer thread sends afterwards."""
    import threading

    release = threading.Event()
    reached = []

    class SlowBackend(BaseEmailBackend):
        def send_messages(self, email_messages):
            reached.append(threading.current_thread().name)
            release.wait(timeout=30)
            return len(email_messages)

    settings.EMAIL_BACKEND = "tests.collaboration.test_notifications.SlowBackendPlaceholder"
    globals()["SlowBackendPlaceholder"] = SlowBackend
    submitted = factories.intervention_in_units(world.org, state="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        response = factories.api_client(world.people["coordinator"]).post(
            f"/api/v1/interventions/{submitted.id}/validate/", {}, format="json",
            HTTP_IF_MATCH=factories.if_match(submitted))
    assert response.status_code == 200  # answered while the mail server still holds the e-mail
    release.set()
    notifications.emails_wait()
    assert reached and all(name.startswith("musoya-mail") for name in reached)


def test_partnership_and_membership_events_tell_the_other_side(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        proposed = factories.api_client(world.people["editor"]).post("/api/v1/partnerships/", {
            "proposer": world.org.id, "partner": world.other_org.id, "role": "coordination", "areas": ["ML040224"],
            "themes": ["vbg"]}, format="json")
    assert kinds_for(world.people["other_editor"]) == ["partnership_proposed"]
    with django_capture_on_commit_callbacks(execute=True):
        factories.api_client(world.people["other_editor"]).post(
            f"/api/v1/partnerships/{proposed.json()['id']}/accept/", {}, format="json", HTTP_IF_MATCH=proposed["ETag"])
    assert kinds_for(world.people["editor"]) == ["partnership_accepted"]
    with django_capture_on_commit_callbacks(execute=True):
        factories.api_client(world.people["other_editor"]).post(
            "/api/v1/memberships/", {"network": world.network.id, "member": world.other_org.id}, format="json")
    assert Membership.objects.get(network=world.network, member=world.other_org).status == "applied"
    assert kinds_for(world.people["coordinator"]) == ["membership_applied"]


def test_the_header_lists_unread_notifications_and_opening_one_marks_it_read(client, world):
    mine, theirs = (Notification.objects.create(recipient=world.people[role], kind="membership_applied",
                                                params={"member": "Association B", "network": "Réseau N"},
                                                url="/espace/adhesions/") for role in ("coordinator", "editor"))
    client.force_login(world.people["coordinator"])
    header = client.get("/").content.decode().split('id="notifications-menu"')[1].split("</details>")[0]
    assert 'id="unread-count">1<' in header and "Association B demande à rejoindre Réseau N." in header
    assert client.get(f"/notifications/{theirs.id}/").status_code == 404
    response = client.get(f"/notifications/{mine.id}/")
    assert response.status_code == 302 and response["Location"] == "/espace/adhesions/"
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    assert 'id="unread-count"' not in client.get("/").content.decode()


def test_the_notifications_api_lists_ones_own_and_refuses_unknown_parameters(world):
    world.notifications  # noqa: B018 - one each
    api = factories.api_client(world.people["editor"])
    body = api.get("/api/v1/notifications/?unread=true").json()
    assert body["count"] == 1 and body["unread"] == 1
    assert body["results"][0]["text"] == "A demande à rejoindre N."
    refused = api.get("/api/v1/notifications/?non_lues=1")
    assert refused.status_code == 400 and refused.json()["code"] == "unknown_parameter"
    assert factories.api_client(None).get("/api/v1/notifications/").status_code == 401
