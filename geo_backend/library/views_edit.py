"""The site's forms to publish and change an event or a campaign and to follow a recommendation up (the API
does the same, through the same services)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from geo_backend.common.errors import DomainError
from geo_backend.organisations.access import audience_for, can_edit_library_record, editable_organisations_q
from geo_backend.organisations.models import Organisation

from .forms import CampaignEditForm, CampaignForm, EventEditForm, EventForm, FollowUpForm
from .models import Recommendation
from .selectors.advocacy import campaigns_visible, events_visible
from .services import advocacy
from .views import error_text


def editable_organisations(audience):
    return Organisation.objects.filter(editable_organisations_q(audience)).order_by("name")


def _fields(data: dict, names) -> dict:
    return {name: data[name] for name in names if data.get(name) not in (None, "")}


EVENT_FORM_FIELDS = ("title", "kind", "starts_at", "ends_at", "venue", "place", "summary", "programme", "speakers",
                     "participants_women", "participants_men", "report", "visibility")
CAMPAIGN_FORM_FIELDS = ("title", "message", "start_date", "end_date", "visibility")
CAMPAIGN_FORM_RELATIONS = ("places", "themes", "participants", "documents")


def _editable(request, visible, pk: int):
    """The record if this person may see it (404 otherwise) and change it (403 otherwise)."""
    audience = audience_for(request.user)
    record = visible(audience).filter(pk=pk).first()
    if record is None:
        raise Http404
    if not can_edit_library_record(audience, organisation_id=record.organisation_id):
        raise PermissionDenied
    return audience, record


def _edit(request, record, form_class, names, relation_names, update, title: str, page: str):
    """The edit page of an event or a campaign: every field sent (an emptied field is cleared), one service call."""
    audience = audience_for(request.user)
    initial = {**{name: getattr(record, name) for name in names}, "version": record.version,
               **{name: list(getattr(record, name).all()) for name in relation_names}}
    form = form_class(request.POST or None, initial=initial, organisation=record.organisation)
    status = 400
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update(audience=audience, expected_version=data["version"], fields={name: data[name] for name in names},
                   relations={name: data[name] for name in relation_names})
        except DomainError as error:  # a change made meanwhile (412), a document that may not be linked…
            form.add_error(None, error_text(error))
            status = error.status_code
        else:
            messages.success(request, _("Modifications enregistrées."))
            return redirect(page, pk=record.pk)
    return render(request, "library/edit_form.html", {"form": form, "title": title, "submit": _("Enregistrer")},
                  status=status if form.errors else 200)


@login_required
def event_new(request):
    audience = audience_for(request.user)
    form = EventForm(request.POST or None, organisations=editable_organisations(audience))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = advocacy.event_create(
                audience=audience, organisation=data["organisation"],
                fields=_fields(data, EVENT_FORM_FIELDS),
                relations={"themes": data["themes"]}, recommendations=data["recommendations"].splitlines())
        except DomainError as error:
            form.add_error(None, error_text(error))
        else:
            return redirect("library:event", pk=event.pk)
    return render(request, "library/edit_form.html", {"form": form, "title": _("Annoncer un événement")},
                  status=400 if form.errors else 200)


@login_required
def campaign_new(request):
    audience = audience_for(request.user)
    form = CampaignForm(request.POST or None, organisations=editable_organisations(audience))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = advocacy.campaign_create(
                audience=audience, organisation=data["organisation"],
                fields=_fields(data, CAMPAIGN_FORM_FIELDS),
                relations={name: data[name] for name in CAMPAIGN_FORM_RELATIONS})
        except DomainError as error:
            form.add_error(None, error_text(error))
        else:
            return redirect("library:campaign", pk=campaign.pk)
    return render(request, "library/edit_form.html", {"form": form, "title": _("Lancer une campagne")},
                  status=400 if form.errors else 200)


@login_required
def event_edit(request, pk: int):
    audience, event = _editable(request, events_visible, pk)
    return _edit(request, event, EventEditForm, EVENT_FORM_FIELDS, ("themes",),
                 lambda **kwargs: advocacy.event_update(event=event, **kwargs), _("Modifier l'événement"),
                 "library:event")


@login_required
def campaign_edit(request, pk: int):
    audience, campaign = _editable(request, campaigns_visible, pk)
    return _edit(request, campaign, CampaignEditForm, CAMPAIGN_FORM_FIELDS, CAMPAIGN_FORM_RELATIONS,
                 lambda **kwargs: advocacy.campaign_update(campaign=campaign, **kwargs), _("Modifier la campagne"),
                 "library:campaign")


@login_required
@require_POST
def recommendation_follow_up(request, pk: int):
    audience = audience_for(request.user)
    recommendation = Recommendation.objects.select_related("event").filter(
        pk=pk, event__in=events_visible(audience)).first()
    if recommendation is None or not can_edit_library_record(audience,
                                                             organisation_id=recommendation.event.organisation_id):
        raise Http404
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            advocacy.recommendation_update(audience=audience, recommendation=recommendation,
                                           expected_version=form.cleaned_data["version"],
                                           fields={"status": form.cleaned_data["status"],
                                                   "follow_up": form.cleaned_data["follow_up"]})
            messages.success(request, _("Suivi enregistré."))
        except DomainError as error:
            messages.error(request, error_text(error))
    else:
        messages.error(request, _("Suivi invalide."))
    return redirect("library:event", pk=recommendation.event_id)
