"""The signed-in space asks organisations/access/, as the API does: the same declarations are editable, and the
count of declarations waiting for validation is the length of the validation queue."""
import pytest

from geo_backend.organisations.models import Membership, OrganisationRole
from geo_backend.zones.models import Intervention
from tests import factories

pytestmark = pytest.mark.django_db


def declaration(organisation, *, state: str = "submitted", declared_by_network=None) -> Intervention:
    """A declaration without zones: enough for the pages, which list and open it."""
    return Intervention.objects.create(organisation=organisation, title=f"Déclaration de {organisation.name}",
                                       validation_state=state, declared_by_network=declared_by_network)


@pytest.fixture
def coordinator():
    return factories.user("coordinatrice")


@pytest.fixture
def world(coordinator):
    """The coordinator's network N has members M1 and her own organisation O (enrolled by an administrator); M2 left
    N; the other network has member X."""
    member, former, outsider = (factories.organisation(name) for name in ("Membre M1", "Ancien membre M2",
                                                                          "Membre X d'un autre réseau"))
    own = factories.organisation("Organisation O de la coordinatrice", editor=coordinator)
    network = factories.network(coordinator=coordinator, members=[member, own, former])
    Membership.objects.filter(network=network, member=former).update(status="ended")
    factories.network(coordinator=factories.user(), members=[outsider])
    return {
        "network": network,
        "member": member,
        "to_validate": declaration(member),
        "own": declaration(own),  # her own organisation's: somebody else validates it
        "declared_for_member": declaration(member, declared_by_network=network),  # her network's own work
        "declared_for_former": declaration(former, declared_by_network=network),
        "outsider": declaration(outsider),
        "draft_declared_for_member": declaration(member, state="draft", declared_by_network=network),
    }


def test_the_waiting_count_is_the_length_of_the_queue(client, coordinator, world):
    client.force_login(coordinator)
    waiting = client.get("/espace/").context["waiting"]
    queue = list(client.get("/espace/validation/").context["interventions"])
    assert [i.id for i in queue] == [world["to_validate"].id]
    assert waiting == len(queue)


def test_the_queue_offers_only_what_the_person_may_validate(client, coordinator, world):
    from geo_backend.organisations.access import audience_for, can_validate

    client.force_login(coordinator)
    audience = audience_for(coordinator)
    queue = client.get("/espace/validation/").context["interventions"]
    submitted = Intervention.objects.filter(validation_state="submitted")
    assert {i.id for i in queue} == {
        i.id for i in submitted
        if can_validate(audience, organisation_id=i.organisation_id, declared_by_network_id=i.declared_by_network_id)}


def test_a_coordinator_opens_the_editor_of_a_declaration_her_network_made_for_a_member(client, coordinator, world):
    client.force_login(coordinator)
    draft = world["draft_declared_for_member"]
    response = client.get(f"/espace/interventions/{draft.id}/")
    assert response.status_code == 200
    assert response.context["intervention"].id == draft.id
    assert draft.title in response.content.decode()
    assert world["member"] in response.context["organisations"]  # shown as the declaration's organisation


def test_nobody_else_opens_that_editor(client, world):
    draft = world["draft_declared_for_member"]
    other_coordinator = factories.user()
    factories.network(coordinator=other_coordinator, members=[world["member"]])
    for person in (other_coordinator, factories.user()):
        client.force_login(person)
        assert client.get(f"/espace/interventions/{draft.id}/").status_code == 404


def test_my_space_lists_the_declarations_the_person_may_edit(client, coordinator, world):
    client.force_login(coordinator)
    listed = {i.id for i in client.get("/espace/").context["interventions"]}
    assert listed == {world["own"].id, world["declared_for_member"].id, world["draft_declared_for_member"].id}


def test_the_editor_of_an_organisation_sees_the_edit_link_on_its_profile_only(client, world):
    editor = factories.user()
    OrganisationRole.objects.create(user=editor, organisation=world["member"], role="editor")
    client.force_login(editor)
    assert client.get(f"/organisations/{world['member'].slug}/").context["can_edit"]
    other = factories.organisation("Une autre organisation")
    assert not client.get(f"/organisations/{other.slug}/").context["can_edit"]
