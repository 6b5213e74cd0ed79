"""The queryset forms of organisations/access/ answer exactly as its yes/no forms, for every kind of person and
declaration: the pages use the former, the services the latter, and they must never disagree."""
import itertools

import pytest

from geo_backend.organisations import access
from geo_backend.organisations.models import Membership, Organisation, OrganisationRole
from geo_backend.zones.models import Intervention
from tests import factories

pytestmark = pytest.mark.django_db

PEOPLE = ["visitor", "member_editor", "coordinator", "coordinator_who_edits_a_member", "other_coordinator",
          "pending_network_coordinator", "donor", "admin", "admin_who_edits_a_member"]


@pytest.fixture
def world():
    people = {name: factories.user() for name in PEOPLE if name not in ("visitor", "donor")}
    people.update(visitor=None, donor=factories.donor())
    people["admin"].is_superuser = people["admin_who_edits_a_member"].is_superuser = True
    people["admin"].save()
    people["admin_who_edits_a_member"].save()
    member, own_member, former, outsider = (factories.organisation() for _ in range(4))
    for person, organisation in ((people["member_editor"], member), (people["coordinator_who_edits_a_member"],
                                                                     own_member),
                                 (people["admin_who_edits_a_member"], member)):
        OrganisationRole.objects.create(user=person, organisation=organisation, role="editor")
    network = factories.network(coordinator=people["coordinator"], members=[member, own_member, former])
    OrganisationRole.objects.create(user=people["coordinator_who_edits_a_member"], organisation=network,
                                    role="coordinator")
    Membership.objects.filter(network=network, member=former).update(status="ended")
    factories.network(coordinator=people["other_coordinator"], members=[outsider])
    pending = factories.network(coordinator=people["pending_network_coordinator"], members=[member])
    Organisation.objects.filter(pk=pending.pk).update(status="pending")
    declarations = [
        Intervention.objects.create(organisation=organisation, title="D", validation_state=state,
                                    sensitivity=sensitivity, declared_by_network=by)
        for organisation, by in ((member, None), (member, network), (own_member, None), (former, network),
                                 (outsider, None), (member, pending))
        for state, sensitivity in itertools.product(("draft", "submitted", "validated"), ("public", "restricted"))
    ]
    return people, declarations


def audience_of(person):
    return access.audience_for(type(person).objects.get(pk=person.pk)) if person else access.VISITOR


@pytest.mark.parametrize("who", PEOPLE)
def test_the_queryset_forms_agree_with_the_yes_no_forms(world, who):
    people, declarations = world
    audience = audience_of(people[who])
    editable = set(Intervention.objects.filter(access.editable_interventions_q(audience)).values_list("id", flat=True))
    validatable = set(Intervention.objects.filter(access.validatable_interventions_q(audience))
                      .values_list("id", flat=True))
    for d in declarations:
        keys = {"organisation_id": d.organisation_id, "declared_by_network_id": d.declared_by_network_id}
        assert (d.id in editable) == access.can_edit_intervention(audience, **keys), (who, d.id)
        assert (d.id in validatable) == access.can_validate(audience, **keys), (who, d.id)


@pytest.mark.parametrize("who", PEOPLE)
def test_what_one_may_validate_or_edit_one_may_see(world, who):
    people, declarations = world
    audience = audience_of(people[who])
    visible = set(Intervention.objects.filter(access.visible_interventions_q(audience)).values_list("id", flat=True))
    for d in declarations:
        keys = {"organisation_id": d.organisation_id, "declared_by_network_id": d.declared_by_network_id}
        if access.can_edit_intervention(audience, **keys) or (
                d.validation_state == "submitted" and access.can_validate(audience, **keys)):
            assert d.id in visible, (who, d.id)


def test_who_validates_what(world):
    people, declarations = world
    submitted = [d for d in declarations if d.validation_state == "submitted" and d.sensitivity == "public"]
    may = {who: [access.can_validate(audience_of(people[who]), organisation_id=d.organisation_id,
                                     declared_by_network_id=d.declared_by_network_id) for d in submitted]
           for who in PEOPLE}
    # Declarations: member's own, member's by the network, own_member's, former's by the network, outsider's, and
    # member's by the pending network.
    assert may["coordinator"] == [True, False, True, False, False, True]
    assert may["coordinator_who_edits_a_member"] == [True, False, False, False, False, True]
    assert may["other_coordinator"] == [False, False, False, False, True, False]
    assert may["pending_network_coordinator"] == [False] * 6
    assert may["member_editor"] == [False] * 6
    assert may["admin"] == [True] * 6
    assert may["admin_who_edits_a_member"] == [False, False, True, True, True, False]
    assert may["donor"] == may["visitor"] == [False] * 6


def test_who_reads_restricted_records(world):
    people, declarations = world
    restricted = [d for d in declarations if d.validation_state == "validated" and d.sensitivity == "restricted"]
    for who, readable in [("coordinator", [True, True, True, False, False, True]),
                          ("other_coordinator", [False, False, False, False, True, False]),
                          ("pending_network_coordinator", [False] * 6), ("donor", [False] * 6),
                          ("member_editor", [True, True, False, False, False, True]), ("admin", [True] * 6)]:
        visible = set(Intervention.objects.filter(access.visible_interventions_q(audience_of(people[who])))
                      .values_list("id", flat=True))
        assert [d.id in visible for d in restricted] == readable, who
