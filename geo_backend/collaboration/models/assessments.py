"""The organisational capacity self-assessment. The questionnaire is data: versions, dimensions, questions.

Dimensions (governance, finance, …) are stable across versions, so that needs can be compared from one year to the
next and trainings can say which needs they answer. A version's questions are frozen once it is published; the
administrators change the questionnaire by publishing a new version (the admin copies the current one).
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from geo_backend.organisations.models import Organisation


def _in_language(french: str, english: str) -> str:
    return english if (get_language() or "fr").startswith("en") and english else french


class Dimension(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    label_fr = models.CharField(max_length=120)
    label_en = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("dimension de capacité")

    def __str__(self):
        return self.label_fr

    @property
    def label(self) -> str:
        return _in_language(self.label_fr, self.label_en)


class QuestionnaireVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publiée")
        RETIRED = "retired", _("Retirée")

    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("version du questionnaire")

    def __str__(self):
        return f"v{self.number} · {self.title}"

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT


class Question(models.Model):
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="questions")
    text_fr = models.TextField()
    text_en = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "dimension__position", "position", "id"]

    def __str__(self):
        return self.text_fr[:80]

    @property
    def text(self) -> str:
        return _in_language(self.text_fr, self.text_en)


class Assessment(models.Model):
    """One organisation's self-assessment for one year. Its scores are private to the organisation and the
    coordinators of its networks (organisations/access/); everyone else sees anonymised aggregates only."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Envoyée")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="assessments")
    questionnaire = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="assessments")
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    is_demo = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="assessment_one_per_year"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="assessment_year_plausible"),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.year}"


SCORE_LABELS = {1: _("1 – besoin fort"), 2: _("2 – à renforcer"), 3: _("3 – satisfaisant"), 4: _("4 – solide")}


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment", "question"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="answer_one_per_question"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=4), name="answer_score_1_to_4"),
        ]

    def __str__(self):
        return f"{self.question_id}: {self.score}"
