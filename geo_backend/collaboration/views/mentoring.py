"""Mentoring pages: a network's coordinators record pairs and their follow-up; each woman of a pair sees her own.
Nobody else reads a name here (organisations/access/); the public figures are counts per network."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from geo_backend.common.errors import DomainError
from geo_backend.organisations import access
from geo_backend.organisations.models import Organisation

from ..forms import MentoringLogForm, MentoringPairForm
from ..selectors import mentoring as selectors
from ..services import mentoring as services
from .common import posted_version, show_refusal, who


@login_required
def pairs(request):
    audience = who(request)
    networks = Organisation.objects.filter(id__in=audience.coordinator_of).order_by("name")
    form = MentoringPairForm(request.POST or None, networks=networks) if networks.exists() else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            pair = services.mentoring_pair_create(audience=audience, **form.cleaned_data)
        except DomainError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Binôme enregistré."))
            return redirect("collaboration:mentoring-pair", pk=pair.pk)
    return render(request, "collaboration/mentoring.html", {
        "pairs": selectors.mentoring_pairs_named(audience).order_by("status", "-started_on"),
        "form": form, "counts": selectors.mentoring_counts()})


@login_required
def pair_detail(request, pk):
    audience = who(request)
    pair = get_object_or_404(selectors.mentoring_pairs_named(audience), pk=pk)
    can_record = access.can_record_mentoring(audience, network_id=pair.network_id)
    form = MentoringLogForm(request.POST or None, initial={"date": timezone.localdate()}) if can_record else None
    if request.method == "POST" and can_record:
        try:
            if request.POST.get("close"):
                services.mentoring_pair_close(audience=audience, pair=pair, expected_version=posted_version(request))
                messages.success(request, _("Binôme terminé."))
                return redirect("collaboration:mentoring-pair", pk=pk)
            if form.is_valid():
                services.mentoring_log_add(audience=audience, pair=pair, **form.cleaned_data)
                messages.success(request, _("Suivi ajouté."))
                return redirect("collaboration:mentoring-pair", pk=pk)
        except DomainError as error:
            show_refusal(request, error)
    return render(request, "collaboration/mentoring_pair.html", {"pair": pair, "form": form,
                                                                "can_record": can_record})
