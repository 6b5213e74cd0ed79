"""The capacity self-assessment (an organisation's editors), a network's needs (its coordinators: each member, a
map and a table), and the public overview of needs (anonymised aggregates only)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from geo_backend.common.errors import DomainError
from geo_backend.organisations import access
from geo_backend.organisations.models import Membership, Organisation

from ..models import SCORE_LABELS, Assessment, Dimension
from ..selectors import assessments as selectors
from ..selectors import trainings as training_selectors
from ..services import assessments as services
from .common import posted_version, show_refusal, who


def _year(request) -> int:
    raw = request.GET.get("annee", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


def _answers_posted(request, questionnaire) -> list[dict]:
    answers = []
    for question in questionnaire.questions.all():
        raw = request.POST.get(f"q-{question.id}", "")
        if raw.isdigit():
            answers.append({"question": question.id, "score": int(raw),
                            "comment": request.POST.get(f"c-{question.id}", "")[:2000]})
    return answers


@login_required
def self_assessment(request):
    audience = who(request)
    organisations = Organisation.objects.filter(id__in=audience.editor_of).order_by("name")
    if not organisations.exists():
        messages.error(request, _("Votre compte n'est rattaché à aucune organisation."))
        return redirect("web:espace")
    chosen = request.GET.get("organisation", "")
    organisation = organisations.filter(pk=chosen).first() if chosen.isdigit() else organisations.first()
    if organisation is None:
        raise Http404
    year = _year(request)
    assessment = Assessment.objects.filter(organisation=organisation, year=year).first()
    try:
        questionnaire = assessment.questionnaire if assessment else services.questionnaire_current()
    except DomainError as error:
        show_refusal(request, error)
        return redirect("web:espace")
    if request.method == "POST" and (assessment is None or assessment.status == Assessment.Status.DRAFT):
        answers, submit = _answers_posted(request, questionnaire), "submit" in request.POST
        try:
            if assessment is None:
                services.assessment_start(audience=audience, organisation=organisation, year=year, answers=answers,
                                          submit=submit)
            else:
                services.assessment_update(audience=audience, assessment=assessment,
                                           expected_version=posted_version(request), answers=answers, submit=submit)
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Auto-évaluation envoyée : la coordination de vos réseaux la voit.") if submit
                             else _("Brouillon enregistré."))
            return redirect(f"{request.path}?organisation={organisation.pk}&annee={year}")
    recorded = {a.question_id: a for a in assessment.answers.all()} if assessment else {}
    dimensions = []
    for dimension in Dimension.objects.filter(questions__version=questionnaire).distinct().order_by("position"):
        dimensions.append((dimension, [(q, recorded.get(q.id)) for q in questionnaire.questions.filter(
            dimension=dimension)]))
    summary = selectors.assessment_as_dict(assessment) if assessment else None
    networks = Organisation.objects.filter(member_links__member=organisation, member_links__status="accepted",
                                           status="active").order_by("name")
    return render(request, "collaboration/assessment.html", {
        "organisation": organisation, "organisations": organisations, "year": year, "assessment": assessment,
        "questionnaire": questionnaire, "dimensions": dimensions, "scores": SCORE_LABELS.items(),
        "networks": networks,
        "dimension_rows": [(d, summary["dimension_scores"].get(d.code)) for d, _items in dimensions] if summary else [],
        "read_only": assessment is not None and assessment.status == Assessment.Status.SUBMITTED,
    })


@login_required
def network_needs(request, pk):
    """A network's coordinators: each member's scores, the needs by dimension and on a map of regions, and the
    trainings that answer each need."""
    audience = who(request)
    network = get_object_or_404(Organisation, pk=pk, kind__in=Organisation.NETWORK_KINDS)
    if not access.can_see_network_member_scores(audience, network_id=network.id):
        raise Http404
    year = _year(request) if request.GET.get("annee") else None
    dimension = request.GET.get("dimension") or None
    dimensions = list(Dimension.objects.filter(is_active=True))
    if dimension not in {d.code for d in dimensions}:
        dimension = None
    members = selectors.network_member_needs(audience, network_id=network.id, year=year)
    assessed = {row["organisation_id"] for row in members}
    by_dimension = selectors.needs_by_dimension(audience, network_id=network.id, year=year)
    trainings = {d.code: list(training_selectors.training_search(audience, need=d.code, start_from=timezone.localdate(),
                                                                 include_cancelled=False)[:5]) for d in dimensions}
    return render(request, "collaboration/network_needs.html", {
        "network": network, "year": year, "dimension": dimension, "dimensions": dimensions,
        "members": [(row, [row["scores"].get(d.code) for d in dimensions]) for row in members],
        "not_assessed": Membership.objects.filter(network=network, status="accepted").exclude(
            member_id__in=assessed).select_related("member").order_by("member__name"),
        "by_dimension": [(row, trainings.get(row["code"], [])) for row in by_dimension],
        "by_place": selectors.needs_by_place(audience, network_id=network.id, year=year, dimension=dimension),
    })


def needs_overview(request):
    """Everyone: the needs of all organisations (or of one network) by dimension and by region, anonymised: a group
    of fewer than NEEDS_MIN_ORGANISATIONS organisations is not shown."""
    audience = who(request)
    raw = request.GET.get("reseau", "")
    network = Organisation.objects.filter(pk=raw, kind__in=Organisation.NETWORK_KINDS).first() if raw.isdigit() \
        else None
    network_id = network.id if network else None
    return render(request, "collaboration/needs.html", {
        "network": network,
        "networks": Organisation.objects.filter(kind__in=Organisation.NETWORK_KINDS, status="active").order_by("name"),
        "by_dimension": selectors.needs_by_dimension(audience, network_id=network_id),
        "by_place": selectors.needs_by_place(audience, network_id=network_id),
        "minimum": access.NEEDS_MIN_ORGANISATIONS,
        "coordinated": [n for n in Organisation.objects.filter(id__in=audience.coordinator_of).order_by("name")],
    })
