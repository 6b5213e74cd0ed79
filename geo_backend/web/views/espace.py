"""Signed-in pages: my organisation's declarations, the zone editor, the coordinator's validation queue."""
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from geo_backend.common.errors import DomainError
from geo_backend.organisations import selectors as organisation_selectors
from geo_backend.organisations.access import audience_for
from geo_backend.regions.models import AdminUnit
from geo_backend.taxonomy.models import ActionKind, TargetGroup, Theme
from geo_backend.zones import selectors as zone_selectors
from geo_backend.zones import services as zone_services
from geo_backend.zones.models import Intervention

from ..context import map_vocabulary


@login_required
def espace(request):
    audience = audience_for(request.user)
    return render(request, "web/espace.html", {
        "interventions": zone_selectors.interventions_of_my_organisations(audience),
        "organisations": organisation_selectors.organisations_editable(audience),
        "is_coordinator": audience.reviews_declarations,
        "waiting": zone_selectors.interventions_awaiting_validation(audience).count(),
    })


@login_required
def editor(request, pk=None):
    audience = audience_for(request.user)
    intervention = None
    organisations = organisation_selectors.organisations_editable(audience)
    if pk is not None:
        intervention = zone_selectors.interventions_editable(audience).filter(pk=pk).first()
        if intervention is None:
            raise Http404
        # A network's coordinator edits what it declared for a member she does not edit otherwise: show it.
        organisations = organisations | organisation_selectors.organisations_visible(audience).filter(
            pk=intervention.organisation_id)
    # The states' names in the page's language: the API answers with their codes ("draft", "submitted").
    initial = {"intervention": None, "zones": {"type": "FeatureCollection", "features": []},
               "validation_states": {code: str(label) for code, label in Intervention.Validation.choices}}
    if intervention is not None:
        initial["intervention"] = json.loads(json.dumps(zone_selectors.intervention_as_dict(intervention),
                                                        default=str))
        collection, _count = zone_selectors.zones_feature_collection(
            audience, zone_selectors.InterventionFilters(organisation=intervention.organisation_id), limit=1000)
        features = [f for f in json.loads(collection)["features"]
                    if f["properties"]["intervention"] == intervention.id]
        initial["zones"]["features"] = features
    return render(request, "web/editor.html", {
        "intervention": intervention,
        "organisations": organisations.order_by("name"),
        "themes": themes_grouped(),
        "action_kinds": ActionKind.objects.filter(is_active=True),
        "target_groups": TargetGroup.objects.filter(is_active=True),
        "sensitivities": Intervention._meta.get_field("sensitivity").choices,
        "statuses": Intervention.Status.choices,
        "regions": AdminUnit.objects.filter(edition__is_default=True, level=1).order_by("name"),
        "initial": initial,
        "vocabulary": map_vocabulary(request),
    })


def themes_grouped() -> list:
    """Each domain followed by its sub-domains, in the taxonomy's order."""
    themes = []
    for domain in Theme.objects.filter(parent=None, is_active=True).prefetch_related("children"):
        themes.append(domain)
        themes.extend(child for child in domain.children.all() if child.is_active)
    return themes


@login_required
def queue(request):
    audience = audience_for(request.user)
    if not audience.reviews_declarations:
        raise Http404
    return render(request, "web/queue.html", {
        "interventions": zone_selectors.interventions_awaiting_validation(audience).prefetch_related("themes",
                                                                                                    "zones")})


@login_required
@require_POST
def queue_decide(request, pk):
    audience = audience_for(request.user)
    # Looked up among the declarations she may see: the service then says why a decision is refused.
    intervention = zone_selectors.interventions_visible(audience).filter(pk=pk).first()
    if intervention is None:
        raise Http404
    try:
        version = int(request.POST.get("version", ""))
        if request.POST.get("decision") == "validate":
            zone_services.intervention_validate(audience=audience, intervention=intervention, expected_version=version)
            messages.success(request, _("Déclaration validée : elle apparaît sur la carte publique."))
        else:
            zone_services.intervention_reject(audience=audience, intervention=intervention, expected_version=version,
                                              reason=request.POST.get("reason", ""))
            messages.success(request, _("Déclaration rejetée ; l'organisation voit la raison."))
    except ValueError:
        messages.error(request, _("Version manquante : rechargez la page."))
    except DomainError as error:
        messages.error(request, error.message_en if request.LANGUAGE_CODE == "en" else error.message_fr)
    return redirect("web:queue")
