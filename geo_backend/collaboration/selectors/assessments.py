"""Reads of self-assessments and of the needs they show.

Individual scores: only the organisation and the coordinators of its networks (organisations/access/). Needs
aggregates (by dimension, by place) count each organisation's latest submitted self-assessment (or the year's);
for anyone but the coordinators of the network asked about, a group of fewer than NEEDS_MIN_ORGANISATIONS
organisations is suppressed (no mean, no count of scores), so that no organisation can be singled out.
"""
from django.db import connection
from django.db.models import QuerySet

from geo_backend.organisations.access import (
    NEEDS_MIN_ORGANISATIONS,
    Audience,
    assessment_scores_visible_q,
    can_see_network_member_scores,
    require_network_needs_reader,
)

from ..models import Assessment, Dimension, QuestionnaireVersion
from ..services.assessments import questionnaire_current

CHOSEN = """
  chosen AS (
    SELECT DISTINCT ON (a.organisation_id) a.id, a.organisation_id, a.year, a.submitted_at
    FROM collaboration_assessment a JOIN organisations_organisation o ON o.id = a.organisation_id
    WHERE a.status = 'submitted' AND o.status = 'active'
      AND (%(year)s::int IS NULL OR a.year = %(year)s::int)
      AND (%(network)s::bigint IS NULL OR a.organisation_id IN (
        SELECT m.member_id FROM organisations_membership m
        WHERE m.network_id = %(network)s::bigint AND m.status = 'accepted'))
    ORDER BY a.organisation_id, a.year DESC
  ),
  scores AS (
    SELECT c.organisation_id, q.dimension_id, avg(ans.score)::float AS score
    FROM chosen c JOIN collaboration_answer ans ON ans.assessment_id = c.id
    JOIN collaboration_question q ON q.id = ans.question_id
    GROUP BY c.organisation_id, q.dimension_id
  )
"""


def questionnaire_as_dict(version: QuestionnaireVersion | None = None) -> dict:
    version = version or questionnaire_current()
    dimensions = []
    for dimension in Dimension.objects.filter(questions__version=version).distinct().order_by("position"):
        dimensions.append({"code": dimension.code, "label": dimension.label, "questions": [
            {"id": q.id, "text": q.text} for q in version.questions.filter(dimension=dimension)]})
    return {"version": version.number, "title": version.title, "scale": [1, 2, 3, 4], "dimensions": dimensions}


def assessments_visible(audience: Audience) -> QuerySet:
    """The self-assessments whose scores this person may read."""
    return Assessment.objects.filter(assessment_scores_visible_q(audience)).select_related("organisation",
                                                                                         "questionnaire")


def assessment_as_dict(assessment: Assessment) -> dict:
    answers = assessment.answers.select_related("question__dimension")
    by_dimension: dict[str, list[int]] = {}
    for answer in answers:
        by_dimension.setdefault(answer.question.dimension.code, []).append(answer.score)
    return {"id": assessment.id, "version": assessment.version,
            "organisation": {"id": assessment.organisation_id, "name": assessment.organisation.name},
            "year": assessment.year, "questionnaire": assessment.questionnaire.number, "status": assessment.status,
            "submitted_at": assessment.submitted_at,
            "answers": [{"question": a.question_id, "score": a.score, "comment": a.comment} for a in answers],
            "dimension_scores": {code: sum(s) / len(s) for code, s in by_dimension.items()}}


def _rows(sql: str, params: dict) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _full_view(audience: Audience, network_id: int | None) -> bool:
    """Whether this person may see the group's individual scores anyway (then nothing is suppressed)."""
    return network_id is not None and can_see_network_member_scores(audience, network_id=network_id)


def _suppress(rows: list[dict], full: bool, values: tuple[str, ...]) -> list[dict]:
    for row in rows:
        row["suppressed"] = not full and row["organisations"] < NEEDS_MIN_ORGANISATIONS
        if row["suppressed"]:
            row.update({name: None for name in values})
    return rows


def needs_by_dimension(audience: Audience, *, network_id: int | None = None, year: int | None = None) -> list[dict]:
    """Per dimension: organisations counted, mean score (1 strong need … 4 strong) and how many organisations fall
    in each score band; suppressed below the threshold for anyone but the network's coordinators."""
    rows = _rows(f"""
      WITH {CHOSEN}
      SELECT d.code, d.label_fr, d.label_en, count(s.organisation_id) AS organisations, avg(s.score) AS mean,
             count(*) FILTER (WHERE s.score < 1.5) AS band_1,
             count(*) FILTER (WHERE s.score >= 1.5 AND s.score < 2.5) AS band_2,
             count(*) FILTER (WHERE s.score >= 2.5 AND s.score < 3.5) AS band_3,
             count(*) FILTER (WHERE s.score >= 3.5) AS band_4
      FROM collaboration_dimension d LEFT JOIN scores s ON s.dimension_id = d.id
      WHERE d.is_active GROUP BY d.id ORDER BY d.position, d.code
    """, {"year": year, "network": network_id})
    labels = {d.code: d.label for d in Dimension.objects.all()}
    for row in rows:
        row["label"] = labels.get(row["code"], row["code"])
        del row["label_fr"], row["label_en"]
    return _suppress(rows, _full_view(audience, network_id), ("mean", "band_1", "band_2", "band_3", "band_4"))


def needs_by_place(audience: Audience, *, network_id: int | None = None, year: int | None = None,
                   dimension: str | None = None, level: int = 1) -> list[dict]:
    """Per region (level 1) or cercle (level 2) of the organisations' head offices: organisations counted and
    their mean score on one dimension (all dimensions when none is given)."""
    rows = _rows(f"""
      WITH {CHOSEN},
      place AS (
        SELECT o.id AS organisation_id, CASE WHEN %(level)s = 1 THEN cercle.parent_id ELSE cercle.id END AS unit_id
        FROM organisations_organisation o JOIN regions_locality l ON l.id = o.head_office_id
        JOIN regions_adminunit commune ON commune.id = l.commune_id
        JOIN regions_adminunit cercle ON cercle.id = commune.parent_id
      )
      SELECT u.pcode, u.name, count(DISTINCT s.organisation_id) AS organisations, avg(s.score) AS mean
      FROM scores s JOIN place p ON p.organisation_id = s.organisation_id
      JOIN regions_adminunit u ON u.id = p.unit_id
      WHERE %(dimension)s::text IS NULL
         OR s.dimension_id = (SELECT id FROM collaboration_dimension WHERE code = %(dimension)s::text)
      GROUP BY u.id ORDER BY u.pcode
    """, {"year": year, "network": network_id, "dimension": dimension, "level": level})
    return _suppress(rows, _full_view(audience, network_id), ("mean",))


def network_member_needs(audience: Audience, *, network_id: int, year: int | None = None) -> list[dict]:
    """Each member's scores per dimension (coordinators of the network only)."""
    require_network_needs_reader(audience, network_id=network_id)
    rows = _rows(f"""
      WITH {CHOSEN}
      SELECT o.id AS organisation_id, o.name AS organisation, c.year, c.submitted_at,
             region.pcode AS region_pcode, region.name AS region,
             json_object_agg(d.code, s.score) FILTER (WHERE d.code IS NOT NULL) AS scores
      FROM chosen c JOIN organisations_organisation o ON o.id = c.organisation_id
      LEFT JOIN scores s ON s.organisation_id = c.organisation_id
      LEFT JOIN collaboration_dimension d ON d.id = s.dimension_id
      LEFT JOIN regions_locality l ON l.id = o.head_office_id
      LEFT JOIN regions_adminunit commune ON commune.id = l.commune_id
      LEFT JOIN regions_adminunit cercle ON cercle.id = commune.parent_id
      LEFT JOIN regions_adminunit region ON region.id = cercle.parent_id
      GROUP BY o.id, c.year, c.submitted_at, region.pcode, region.name ORDER BY o.name
    """, {"year": year, "network": network_id})
    for row in rows:
        row["scores"] = row["scores"] or {}
    return rows
