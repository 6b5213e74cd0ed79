"""The capacity self-assessment: the questionnaire is versioned data; an organisation scores itself once a year;
individual scores are read only by the organisation and its networks' coordinators; donors and visitors get
anonymised aggregates, never over fewer than three organisations."""
import datetime as dt

import pytest

from geo_backend.collaboration.models import Assessment, Question, QuestionnaireVersion
from geo_backend.collaboration.selectors import assessments as selectors
from geo_backend.collaboration.services import assessments as services
from geo_backend.common.errors import DomainError
from geo_backend.organisations.access import VISITOR, audience_for
from geo_backend.organisations.models import Membership, Organisation
from geo_backend.regions.models import Locality
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]
YEAR = dt.date.today().year


def all_answers(score_of) -> list[dict]:
    """An answer to every question of the current questionnaire: score_of(dimension code) -> 1..4."""
    questions = services.questionnaire_current().questions.select_related("dimension")
    return [{"question": q.id, "score": score_of(q.dimension.code), "comment": ""} for q in questions]


def submitted(organisation: Organisation, editor, score_of, year=YEAR) -> Assessment:
    return services.assessment_start(audience=audience_for(editor), organisation=organisation, year=year,
                                     answers=all_answers(score_of), submit=True)


def member_with_assessment(network, score, head_office=None):
    editor = factories.user()
    organisation = factories.organisation(editor=editor)
    if head_office is not None:
        Organisation.objects.filter(pk=organisation.pk).update(head_office=head_office)
    Membership.objects.create(network=network, member=organisation, status="accepted")
    submitted(organisation, editor, lambda code: score if code == "finances" else 4)
    return organisation


def test_an_editor_fills_then_submits_the_years_self_assessment(world):
    editor = world.audience("editor")
    questions = list(services.questionnaire_current().questions.all())
    draft = services.assessment_start(audience=editor, organisation=world.org, year=YEAR,
                                      answers=[{"question": questions[0].id, "score": 2, "comment": "Pas de budget"}])
    with pytest.raises(DomainError) as missing:
        services.assessment_update(audience=editor, assessment=draft, expected_version=draft.version, answers=[],
                                   submit=True)
    assert missing.value.code == "answers_missing"
    done = services.assessment_update(audience=editor, assessment=draft, expected_version=draft.version,
                                      answers=all_answers(lambda code: 3), submit=True)
    assert done.status == "submitted" and done.answers.count() == len(questions)
    with pytest.raises(DomainError) as frozen:
        services.assessment_update(audience=editor, assessment=done, expected_version=done.version,
                                   answers=all_answers(lambda code: 1))
    assert frozen.value.code == "assessment_submitted"
    with pytest.raises(DomainError) as twice:
        services.assessment_start(audience=editor, organisation=world.org, year=YEAR, answers=[])
    assert twice.value.code == "assessment_exists"


@pytest.mark.parametrize(("answer", "code"), [({"score": 5}, "invalid_score"), ({"score": 0}, "invalid_score"),
                                              ({"question": 10**9, "score": 2}, "invalid_question")])
def test_scores_go_from_1_to_4_on_the_questionnaires_own_questions(world, answer, code):
    question = services.questionnaire_current().questions.first()
    with pytest.raises(DomainError) as refused:
        services.assessment_start(audience=world.audience("editor"), organisation=world.org, year=YEAR,
                                  answers=[{"question": question.id, **answer}])
    assert refused.value.code == code
    assert not Assessment.objects.exists()


def test_the_questionnaire_is_versioned_data(world):
    admin = world.audience("admin")
    first = services.questionnaire_current()
    old = submitted(world.org, world.people["editor"], lambda code: 2, year=YEAR - 1)
    draft = services.questionnaire_version_copy(audience=admin, source=first)
    assert draft.status == "draft" and draft.questions.count() == first.questions.count()
    Question.objects.create(version=draft, dimension=first.questions.first().dimension, position=9,
                            text_fr="Les comptes sont audités chaque année.", text_en="Accounts are audited yearly.")
    with pytest.raises(DomainError):
        services.questionnaire_version_copy(audience=world.audience("editor"), source=first)  # administrators only
    services.questionnaire_version_publish(audience=admin, version=draft)
    assert services.questionnaire_current() == draft
    assert QuestionnaireVersion.objects.get(pk=first.pk).status == "retired"
    with pytest.raises(DomainError) as again:
        services.questionnaire_version_publish(audience=admin, version=first)
    assert again.value.code == "not_a_draft"
    new = submitted(world.org, world.people["editor"], lambda code: 3)
    assert new.questionnaire == draft and new.answers.count() == first.questions.count() + 1
    old.refresh_from_db()
    assert old.questionnaire == first  # past self-assessments keep the version they answered


def test_individual_scores_are_read_by_the_organisation_and_its_networks_coordinators_only(world):
    assessment = submitted(world.org, world.people["editor"], lambda code: 2)
    url = f"/api/v1/assessments/{assessment.id}/"
    for role, status in (("editor", 200), ("coordinator", 200), ("other_editor", 404), ("other_coordinator", 404),
                         ("donor", 404), ("admin", 404), ("visitor", 404)):
        assert factories.api_client(world.people[role]).get(url).status_code == status, role
    listed = factories.api_client(world.people["donor"]).get("/api/v1/assessments/").json()
    assert listed["count"] == 0
    coordinator_view = factories.api_client(world.people["coordinator"]).get(
        f"/api/v1/assessments/needs/?by=member&network={world.network.id}").json()["results"]
    assert [(row["organisation"], row["scores"]["finances"]) for row in coordinator_view] == [("Association A", 2.0)]
    for role, status in (("donor", 403), ("other_coordinator", 403), ("visitor", 401)):
        response = factories.api_client(world.people[role]).get(
            f"/api/v1/assessments/needs/?by=member&network={world.network.id}")
        assert response.status_code == status, role


def test_needs_aggregates_hide_groups_of_fewer_than_three_organisations_from_donors_and_visitors(world):
    """Known answer: members of N score finances 1 and 2 (A: 2), then a third member scores 3: mean (2+1+3)/3 = 2."""
    submitted(world.org, world.people["editor"], lambda code: 2 if code == "finances" else 4)
    member_with_assessment(world.network, 1)
    donor, coordinator = world.audience("donor"), world.audience("coordinator")
    for audience in (donor, VISITOR, world.audience("admin"), world.audience("other_coordinator")):
        (finances,) = [r for r in selectors.needs_by_dimension(audience, network_id=world.network.id)
                       if r["code"] == "finances"]
        assert finances["organisations"] == 2 and finances["suppressed"] and finances["mean"] is None
        assert finances["band_1"] is None and finances["band_2"] is None
    (finances,) = [r for r in selectors.needs_by_dimension(coordinator, network_id=world.network.id)
                   if r["code"] == "finances"]
    assert not finances["suppressed"] and finances["mean"] == pytest.approx(1.5)
    member_with_assessment(world.network, 3)
    (finances,) = [r for r in selectors.needs_by_dimension(donor, network_id=world.network.id)
                   if r["code"] == "finances"]
    assert finances["organisations"] == 3 and not finances["suppressed"]
    assert finances["mean"] == pytest.approx(2.0)
    assert (finances["band_1"], finances["band_2"], finances["band_3"], finances["band_4"]) == (1, 1, 1, 0)
    body = factories.api_client(None).get(f"/api/v1/assessments/needs/?network={world.network.id}").json()
    assert body["minimum_organisations"] == 3
    assert "scores" not in str(body) and "Association A" not in str(body)


def test_needs_by_place_follow_the_head_offices_and_the_threshold(world):
    segou = Locality.objects.filter(edition__is_default=True, commune__parent__parent__pcode="ML04").first()
    kayes = Locality.objects.filter(edition__is_default=True, commune__parent__parent__pcode="ML01").first()
    for score in (1, 2, 3):
        member_with_assessment(world.network, score, head_office=segou)
    member_with_assessment(world.network, 1, head_office=kayes)
    rows = {r["pcode"]: r for r in selectors.needs_by_place(world.audience("donor"), network_id=world.network.id,
                                                           dimension="finances")}
    assert rows["ML04"]["organisations"] == 3 and rows["ML04"]["mean"] == pytest.approx(2.0)
    assert rows["ML01"]["organisations"] == 1 and rows["ML01"]["suppressed"] and rows["ML01"]["mean"] is None
    full = {r["pcode"]: r for r in selectors.needs_by_place(world.audience("coordinator"),
                                                           network_id=world.network.id, dimension="finances")}
    assert full["ML01"]["mean"] == pytest.approx(1.0)


def test_only_submitted_assessments_of_active_organisations_count(world):
    services.assessment_start(audience=world.audience("editor"), organisation=world.org, year=YEAR,
                              answers=all_answers(lambda code: 1))  # a draft
    rows = selectors.needs_by_dimension(world.audience("coordinator"), network_id=world.network.id)
    assert {r["organisations"] for r in rows} == {0}


def test_the_needs_api_refuses_unknown_parameters():
    response = factories.api_client(None).get("/api/v1/assessments/needs/?reseau=3")
    assert response.status_code == 400 and response.json()["details"]["unknown"] == ["reseau"]
