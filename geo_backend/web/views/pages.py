"""Public pages: the map, the directory of organisations and networks, profiles, about."""
from django.http import Http404
from django.shortcuts import render

from geo_backend.library.selectors.advocacy import events_upcoming, library_of_organisation
from geo_backend.organisations import selectors as organisations
from geo_backend.organisations.access import audience_for
from geo_backend.regions.models import AdminUnit
from geo_backend.regions.selectors import edition_list_with_counts
from geo_backend.taxonomy.models import Theme

from ..context import map_vocabulary


def home(request):
    return render(request, "web/home.html", {"vocabulary": map_vocabulary(request),
                                             "upcoming_events": events_upcoming(audience_for(request.user))})


def directory(request):
    audience = audience_for(request.user)
    q, theme, area = request.GET.get("q", "").strip(), request.GET.get("theme", ""), request.GET.get("region", "")
    kind = request.GET.get("type", "")
    is_network = {"reseaux": True, "organisations": False}.get(kind)
    results = organisations.organisation_search(audience, q=q or None, theme=theme or None, area=area or None,
                                                is_network=is_network)
    return render(request, "web/directory.html", {
        "results": results[:200],
        "count": results.count(),
        "q": q, "theme": theme, "region": area, "type": kind,
        "themes": Theme.objects.filter(parent=None, is_active=True),
        "regions": AdminUnit.objects.filter(edition__is_default=True, level=1).order_by("name"),
    })


def profile(request, slug):
    audience = audience_for(request.user)
    organisation = organisations.organisations_visible(audience).filter(slug=slug).first()
    if organisation is None:
        raise Http404
    detail = organisations.organisation_detail(audience, organisation)
    theme_labels = {t.code: t.label for t in Theme.objects.filter(code__in=detail["themes"])}
    return render(request, "web/profile.html", {
        "organisation": organisation,
        "detail": detail,
        "themes": [theme_labels.get(code, code) for code in detail["themes"]],
        "can_edit": audience.is_admin or organisation.id in audience.editor_of,
        "library": library_of_organisation(audience, organisation),
    })


def about(request):
    return render(request, "web/about.html", {"editions": edition_list_with_counts()})
