"""Inviting a person by e-mail to become an editor: a signed link that expires, works once (a double click too),
and lets the person choose a password."""
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.db import connection

from geo_backend.collaboration.models import EditorInvitation
from geo_backend.collaboration.services import invitations as services
from geo_backend.collaboration.services.notifications import emails_wait
from geo_backend.common.errors import DomainError
from geo_backend.organisations.access import audience_for
from geo_backend.organisations.models import Organisation, OrganisationRole
from tests import factories

PASSWORD = "Bamako-2025-solide"


def invitation_path(invitation) -> str:
    return "/invitation/" + services.invitation_token(invitation) + "/"


@pytest.mark.django_db
class TestInvitationLink:
    @pytest.fixture
    def invited(self, world, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = services.editor_invitation_create(audience=world.audience("coordinator"),
                                                           organisation=world.org, email="Mariam@Example.org")
        return world, invitation

    def test_the_coordinator_invites_and_the_link_is_emailed(self, invited):
        world, invitation = invited
        emails_wait()
        (message,) = [m for m in mail.outbox if m.to == ["mariam@example.org"]]
        assert world.org.name in message.body
        token = message.body.split("/invitation/")[1].split("/")[0]
        assert services.editor_invitation_resolve(token).pk == invitation.pk

    def test_the_person_chooses_a_password_and_becomes_editor(self, client, invited):
        world, invitation = invited
        page = client.get(invitation_path(invitation))
        assert page.status_code == 200 and world.org.name in page.content.decode()
        response = client.post(invitation_path(invitation), {"username": "mariam", "password1": PASSWORD,
                                                             "password2": PASSWORD})
        assert response.status_code == 302 and response["Location"] == "/espace/"
        mariam = get_user_model().objects.get(username="mariam")
        assert mariam.email == "mariam@example.org" and mariam.check_password(PASSWORD)
        assert world.org.id in audience_for(mariam).editor_of
        assert client.get("/espace/").status_code == 200  # signed in

    def test_the_link_works_once(self, client, invited):
        world, invitation = invited
        client.post(invitation_path(invitation), {"username": "mariam", "password1": PASSWORD, "password2": PASSWORD})
        from django.test import Client

        again = Client().post(invitation_path(invitation), {"username": "mariam2", "password1": PASSWORD,
                                                            "password2": PASSWORD})
        assert again.status_code == 410 and "déjà servi" in again.content.decode()
        assert not get_user_model().objects.filter(username="mariam2").exists()

    def test_the_link_expires(self, client, invited, monkeypatch, settings):
        world, invitation = invited
        settings.MUSOYA_INVITATION_DAYS = 7
        eight_days_ago = time.time() - 8 * 86400
        monkeypatch.setattr(signing.time, "time", lambda: eight_days_ago)
        old_token = services.invitation_token(invitation)
        monkeypatch.undo()
        response = client.post(f"/invitation/{old_token}/", {"username": "mariam", "password1": PASSWORD,
                                                            "password2": PASSWORD})
        assert response.status_code == 410 and "expiré" in response.content.decode()
        assert not get_user_model().objects.filter(username="mariam").exists()
        with pytest.raises(DomainError) as expired:
            services.editor_invitation_resolve(old_token)
        assert expired.value.code == "invitation_expired"

    def test_a_forged_link_is_refused(self, client, invited):
        world, invitation = invited
        token = services.invitation_token(invitation)
        forged = token.replace(str(invitation.pk), str(invitation.pk + 1), 1)
        assert client.get(f"/invitation/{forged}/").status_code == 400

    def test_a_weak_password_keeps_the_invitation_usable(self, client, invited):
        world, invitation = invited
        client.post(invitation_path(invitation), {"username": "mariam", "password1": "123", "password2": "123"})
        assert not get_user_model().objects.filter(username="mariam").exists()
        invitation.refresh_from_db()
        assert invitation.used_at is None

    def test_a_signed_in_person_accepts_with_her_account(self, client, invited):
        world, invitation = invited
        client.force_login(world.people["other_editor"])
        client.post(invitation_path(invitation))
        assert world.org.id in audience_for(get_user_model().objects.get(pk=world.people["other_editor"].pk)).editor_of


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "allowed"), [("admin", True), ("coordinator", True), ("editor", False),
                                               ("other_coordinator", False), ("donor", False)])
def test_who_may_invite(world, role, allowed):
    if allowed:
        services.editor_invitation_create(audience=world.audience(role), organisation=world.org, email="a@b.org")
        assert EditorInvitation.objects.count() == 1
    else:
        with pytest.raises(DomainError):
            services.editor_invitation_create(audience=world.audience(role), organisation=world.org,
                                              email="a@b.org")
        assert not EditorInvitation.objects.exists()


# Committed rows, seen by two connections: a transactional test. The flush after it is limited to these apps (the
# boundaries, the taxonomy and the questionnaire loaded by migrations stay; see tests/organisations/
# test_locking_concurrency.py).
@pytest.mark.django_db(transaction=True, available_apps=["django.contrib.auth", "geo_backend.organisations"])
def test_two_simultaneous_clicks_use_the_link_once():
    """Two requests at the same moment, each with its own connection: one account is made, the other refused."""
    admin = factories.user(f"admin-{time.time_ns()}", superuser=True)
    organisation = Organisation.objects.create(name="Association Double Clic", slug=f"double-{time.time_ns()}",
                                               kind="association", status="active")
    invitation = services.editor_invitation_create(audience=audience_for(admin), organisation=organisation,
                                                   email="double@example.org")
    token = services.invitation_token(invitation)
    barrier, outcomes = threading.Barrier(2, timeout=30), []

    def click(username):
        try:
            barrier.wait()
            outcomes.append(("made", services.editor_invitation_accept(token=token, username=username,
                                                                       password=PASSWORD).username))
        except DomainError as error:
            outcomes.append(("refused", error.code))
        except Exception as error:  # reported to the test, not lost in the thread
            outcomes.append(("error", repr(error)))
        finally:
            connection.close()

    names = [f"double-a-{time.time_ns()}", f"double-b-{time.time_ns()}"]
    threads = [threading.Thread(target=click, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(kind for kind, _ in outcomes) == ["made", "refused"], outcomes
    assert ("refused", "invitation_used") in outcomes
    assert OrganisationRole.objects.filter(organisation=organisation, role="editor").count() == 1


@pytest.mark.django_db
def test_the_inviter_cannot_use_her_own_invitation(client, world):
    invitation = services.editor_invitation_create(audience=world.audience("coordinator"), organisation=world.org,
                                                   email="mariam@example.org")
    client.force_login(world.people["coordinator"])
    client.post(invitation_path(invitation))
    invitation.refresh_from_db()
    assert invitation.used_at is None
    assert world.org.id not in audience_for(get_user_model().objects.get(pk=world.people["coordinator"].pk)).editor_of
