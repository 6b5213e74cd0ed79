"""Training pages: the list with a map and an iCalendar feed, one training with its registrations, offering a
training, and recording attendance by sex and age band."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.core.validators import slug_re
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from geo_backend.common.errors import DomainError
from geo_backend.organisations import access
from geo_backend.organisations.models import Organisation
from geo_backend.taxonomy.models import Theme

from ..forms import RegistrationForm, TrainingForm
from ..models import AgeBand, Sex, TrainingRegistration
from ..selectors import trainings as selectors
from ..services import trainings as services
from .common import organisations_spoken_for, posted_version, show_refusal, who


def _filters(request) -> dict:
    theme = request.GET.get("theme") or None
    if theme is not None and not slug_re.fullmatch(theme):  # a crafted address (a NUL byte was a 500)
        raise BadRequest("theme")
    network = request.GET.get("reseau")
    return {"theme": theme, "network": int(network) if network and network.isdigit() else None}


def training_list(request):
    filters = _filters(request)
    trainings = selectors.training_search(who(request), **filters)
    today = timezone.localdate()
    return render(request, "collaboration/trainings.html", {
        "upcoming": [t for t in trainings if t.end_date >= today],
        "past": [t for t in trainings if t.end_date < today][-30:],
        "themes": Theme.objects.filter(parent=None, is_active=True),
        "networks": Organisation.objects.filter(kind__in=Organisation.NETWORK_KINDS, status="active").order_by("name"),
        "theme": filters["theme"] or "", "network": filters["network"],
        "can_offer": bool(who(request).editor_of or who(request).is_admin),
        "query": request.GET.urlencode(),
    })


def calendar(request):
    """The trainings as an iCalendar feed (subscribe to it in a phone's or an office calendar)."""
    body = selectors.trainings_ical(selectors.training_search(who(request), **_filters(request)))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="musoya-formations.ics"'
    return response


def _registrable(audience):
    """Active organisations whose people this person may register (rule: organisations/access/)."""
    return Organisation.objects.filter(access.training_registrable_organisations_q(audience),
                                       status="active").order_by("name")


def training_detail(request, pk):
    audience = who(request)
    training = get_object_or_404(selectors.trainings_visible(audience), pk=pk)
    data = selectors.training_as_dict(audience, training)
    organisations = _registrable(audience) if not audience.is_visitor else Organisation.objects.none()
    return render(request, "collaboration/training.html", {
        "training": training, "data": data,
        "form": RegistrationForm(organisations=organisations) if organisations.exists() else None,
        "registrations": selectors.registrations_visible(audience, training).filter(status="registered"),
        "can_manage": access.can_manage_training(audience, trainer_organisation_id=training.trainer_organisation_id,
                                                 network_id=training.network_id),
    })


@login_required
@require_POST
def register(request, pk):
    audience = who(request)
    training = get_object_or_404(selectors.trainings_visible(audience), pk=pk)
    form = RegistrationForm(request.POST, organisations=_registrable(audience))
    if form.is_valid():
        try:
            services.training_register(audience=audience, training=training, **form.cleaned_data)
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Inscription enregistrée : l'organisation formatrice est prévenue."))
    else:
        messages.error(request, _("Inscription invalide : vérifiez l'organisation et le nombre de personnes."))
    return redirect("collaboration:training", pk=pk)


@login_required
def training_new(request):
    audience = who(request)
    trainers = organisations_spoken_for(audience)
    if not trainers.exists():
        raise Http404
    form = TrainingForm(request.POST or None, trainers=trainers)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        themes, needs = list(fields.pop("themes")), list(fields.pop("needs"))
        try:
            training = services.training_create(audience=audience, fields=fields, themes=themes, needs=needs)
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Formation publiée."))
            return redirect("collaboration:training", pk=training.pk)
    return render(request, "collaboration/training_new.html", {"form": form})


@login_required
def attendance(request, pk):
    audience = who(request)
    training = get_object_or_404(selectors.trainings_visible(audience), pk=pk)
    if not access.can_manage_training(audience, trainer_organisation_id=training.trainer_organisation_id,
                                      network_id=training.network_id):
        raise Http404
    registrations = training.registrations.filter(status=TrainingRegistration.Status.REGISTERED).select_related(
        "organisation").prefetch_related("attendance")
    if request.method == "POST":
        registration = get_object_or_404(registrations, pk=request.POST.get("registration"))
        counts = {}
        for sex in Sex.values:
            for band in AgeBand.values:
                raw = request.POST.get(f"{sex}-{band}", "").strip() or "0"
                counts[(sex, band)] = int(raw) if raw.isdigit() else -1
        try:
            services.training_attendance_record(audience=audience, registration=registration,
                                                expected_version=posted_version(request), counts=counts)
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Présence enregistrée pour %(organisation)s.") % {
                "organisation": registration.organisation.name})
        return redirect("collaboration:training-attendance", pk=pk)
    rows = []
    for registration in registrations:
        recorded = {(a.sex, a.age_band): a.count for a in registration.attendance.all()}
        rows.append((registration, [(sex, label, [(band, band_label, recorded.get((sex, band), 0))
                                                  for band, band_label in AgeBand.choices])
                                    for sex, label in Sex.choices]))
    return render(request, "collaboration/training_attendance.html", {
        "training": training, "rows": rows, "bands": AgeBand.choices,
        "totals": selectors.attendance_totals(registrations)})
