"""Public pages: the map, the directory of organisations and networks, profiles, about."""
from django import forms
from django.http import Http404
from django.shortcuts import render

from geo_backend.library.selectors.advocacy import events_upcoming, library_of_organisation
from geo_backend.organisations import selectors as organisations
from geo_backend.organisations.access import audience_for, can_edit_organisation
from geo_backend.regions.models import AdminUnit
from geo_backend.regions.selectors import edition_list_with_counts
from geo_backend.taxonomy.models import Theme

from ..context import map_vocabulary


def home(request):
    return render(request, "web/home.html", {"vocabulary": map_vocabulary(request),
                                             "upcoming_events": events_upcoming(audience_for(request.user))})


class DirectoryFilters(forms.Form):
    """The directory's search form. Django's CharField refuses NUL characters (PostgreSQL cannot compare them)."""

    q = forms.CharField(required=False, max_length=100)
    theme = forms.CharField(required=False, max_length=60)
    region = forms.CharField(required=False, max_length=20)
    type = forms.ChoiceField(required=False, choices=[("", ""), ("organisations", ""), ("reseaux", "")])


def directory(request):
    audience = audience_for(request.user)
    form = DirectoryFilters(request.GET)
    valid = form.is_valid()
    filters = form.cleaned_data if valid else {}
    q, theme, area, kind = (filters.get(name, "") for name in ("q", "theme", "region", "type"))
    is_network = {"reseaux": True, "organisations": False}.get(kind)
    results = organisations.organisation_search(audience, q=q or None, theme=theme or None, area=area or None,
                                                is_network=is_network)
    if not valid:  # a crafted address: an empty list, said to be a bad request
        results = results.none()
    return render(request, "web/directory.html", {
        "results": results[:200],
        "count": results.count(),
        "q": q, "theme": theme, "region": area, "type": kind,
        "themes": Theme.objects.filter(parent=None, is_active=True),
        "regions": AdminUnit.objects.filter(edition__is_default=True, level=1).order_by("name"),
    }, status=200 if valid else 400)


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
        "can_edit": can_edit_organisation(audience, organisation.id),
        "library": library_of_organisation(audience, organisation),
    })


def about(request):
    return render(request, "web/about.html", {"editions": edition_list_with_counts()})
