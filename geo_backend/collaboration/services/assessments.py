"""Writes of the capacity self-assessment: an organisation's editors fill it (draft, then submitted, once a year);
administrators version the questionnaire (copy the current version into a draft, change it, publish it)."""
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from geo_backend.common.errors import DomainError
from geo_backend.common.locking import version_bump
from geo_backend.organisations import access
from geo_backend.organisations.access import Audience
from geo_backend.organisations.models import Organisation

from ..models import Answer, Assessment, Question, QuestionnaireVersion

COMMENT_MAX = 2000


def questionnaire_current() -> QuestionnaireVersion:
    version = QuestionnaireVersion.objects.filter(status=QuestionnaireVersion.Status.PUBLISHED).order_by(
        "-number").first()
    if version is None:
        raise DomainError("no_questionnaire", "Aucun questionnaire publié.", "No published questionnaire.",
                          status_code=409)
    return version


def _checked_answers(questionnaire: QuestionnaireVersion, answers: list[dict]) -> dict[int, dict]:
    """{question id: {score, comment}}, refusing questions of another version, scores outside 1–4 and repeats."""
    questions = set(questionnaire.questions.values_list("id", flat=True))
    checked: dict[int, dict] = {}
    for answer in answers:
        question, score, comment = answer.get("question"), answer.get("score"), answer.get("comment") or ""
        if question not in questions or question in checked:
            raise DomainError("invalid_question", "Question inconnue ou répétée pour ce questionnaire.",
                              "Unknown or repeated question for this questionnaire.", details={"question": question})
        if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 4:
            raise DomainError("invalid_score", "Chaque note va de 1 (besoin fort) à 4 (solide).",
                              "Each score goes from 1 (strong need) to 4 (strong).", details={"question": question})
        if len(comment) > COMMENT_MAX:
            raise DomainError("comment_too_long", "Commentaire trop long (2 000 caractères au plus).",
                              "Comment too long (2,000 characters at most).")
        checked[question] = {"score": score, "comment": comment.strip()}
    return checked


def _store_answers(assessment: Assessment, answers: dict[int, dict]) -> None:
    for question, values in answers.items():
        Answer.objects.update_or_create(assessment=assessment, question_id=question, defaults=values)


def _submit_if_asked(assessment: Assessment, audience: Audience, submit: bool) -> dict:
    if not submit:
        return {}
    missing = assessment.questionnaire.questions.exclude(answers__assessment=assessment).count()
    if missing:
        raise DomainError("answers_missing", f"Il reste {missing} question(s) sans note.",
                          f"{missing} question(s) still have no score.", details={"missing": missing})
    return {"status": Assessment.Status.SUBMITTED, "submitted_at": timezone.now(), "submitted_by_id": audience.user_id}


@transaction.atomic
def assessment_start(*, audience: Audience, organisation: Organisation, year: int, answers: list[dict],
                     submit: bool = False) -> Assessment:
    """An organisation's editor starts (and may submit at once) the year's self-assessment on the current
    questionnaire. One per organisation and year."""
    access.require_assessment_scorer(audience, organisation_id=organisation.id)
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise DomainError("invalid_year", "Année invalide.", "Invalid year.")
    questionnaire = questionnaire_current()
    checked = _checked_answers(questionnaire, answers)
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(organisation=organisation, questionnaire=questionnaire, year=year,
                                                   is_demo=organisation.is_demo)
    except IntegrityError:
        raise DomainError("assessment_exists", "L'auto-évaluation de cette année existe déjà : modifiez-la.",
                          "This year's self-assessment already exists: change it.", status_code=409) from None
    _store_answers(assessment, checked)
    changes = _submit_if_asked(assessment, audience, submit)
    if changes:
        Assessment.objects.filter(pk=assessment.pk).update(**changes)
        assessment.refresh_from_db()
    return assessment


@transaction.atomic
def assessment_update(*, audience: Audience, assessment: Assessment, expected_version: int, answers: list[dict],
                      submit: bool = False) -> Assessment:
    """Changes the scores of a draft (and submits it when asked, once every question has a score)."""
    access.require_assessment_scorer(audience, organisation_id=assessment.organisation_id)
    locked = Assessment.objects.select_for_update().select_related("questionnaire").get(pk=assessment.pk)
    if locked.status == Assessment.Status.SUBMITTED:
        raise DomainError("assessment_submitted", "Cette auto-évaluation est envoyée : elle ne change plus.",
                          "This self-assessment was submitted: it no longer changes.", status_code=409)
    checked = _checked_answers(locked.questionnaire, answers)
    _store_answers(locked, checked)
    version_bump(Assessment, pk=locked.pk, expected_version=expected_version,
                 **_submit_if_asked(locked, audience, submit))
    locked.refresh_from_db()
    return locked


@transaction.atomic
def questionnaire_version_copy(*, audience: Audience, source: QuestionnaireVersion) -> QuestionnaireVersion:
    """A new draft version, a copy of source's questions, for administrators to change and then publish."""
    access.require_questionnaire_editor(audience)
    number = (QuestionnaireVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = QuestionnaireVersion.objects.create(number=number, title=source.title, notes=source.notes)
    Question.objects.bulk_create(Question(version=draft, dimension_id=q.dimension_id, text_fr=q.text_fr,
                                          text_en=q.text_en, position=q.position) for q in source.questions.all())
    return draft


@transaction.atomic
def questionnaire_version_publish(*, audience: Audience, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Publishes a draft: it becomes the questionnaire of new self-assessments; the previous one is retired (the
    assessments made with it keep it)."""
    access.require_questionnaire_editor(audience)
    locked = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != QuestionnaireVersion.Status.DRAFT:
        raise DomainError("not_a_draft", "Seul un brouillon peut être publié.", "Only a draft can be published.",
                          status_code=409)
    if not locked.questions.exists():
        raise DomainError("questions_required", "Un questionnaire sans question ne peut pas être publié.",
                          "A questionnaire without questions cannot be published.")
    QuestionnaireVersion.objects.filter(status=QuestionnaireVersion.Status.PUBLISHED).update(
        status=QuestionnaireVersion.Status.RETIRED)
    locked.status, locked.published_at = QuestionnaireVersion.Status.PUBLISHED, timezone.now()
    locked.save(update_fields=["status", "published_at"])
    return locked
