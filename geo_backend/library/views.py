"""The library's pages: search and filters, a document, campaigns with their map, events, the upload form."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language

from geo_backend.common.errors import DomainError
from geo_backend.organisations.access import audience_for, editable_organisations_q
from geo_backend.organisations.models import Organisation
from geo_backend.regions.models import AdminUnit
from geo_backend.taxonomy.models import Theme

from .forms import DocumentForm, LibraryFilters
from .models import Document, Language
from .selectors import advocacy as advocacy_selectors
from .selectors import documents as selectors
from .services.documents import Upload, document_create

PAGE_SIZE = 20


def error_text(error: DomainError) -> str:
    return error.message_en if (get_language() or "fr").startswith("en") else error.message_fr


def library_index(request):
    """Search (French, accents and plurals ignored) with filters by theme, region, kind, language, organisation.
    A crafted address (a NUL character, a number too large, an unknown kind…) gets an empty list and 400."""
    audience = audience_for(request.user)
    form = LibraryFilters(request.GET)
    valid = form.is_valid()
    values = {name: value for name, value in form.cleaned_data.items() if value not in ("", None)} if valid else {}
    params = {key: request.GET.get(key, "").strip() if valid else "" for key in LibraryFilters.base_fields}
    queryset = selectors.document_search(audience, selectors.DocumentFilters(**values))
    if not valid:
        queryset = queryset.none()
    paginator = Paginator(selectors.with_list_relations(queryset), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "library/index.html", {
        "page": page, "params": params, "query": query.urlencode() if valid else "", "invalid": not valid,
        "themes": Theme.objects.filter(parent=None, is_active=True),
        "regions": AdminUnit.objects.filter(edition__is_default=True, level=1).order_by("name"),
        "kinds": Document.Kind.choices, "languages": Language.choices,
        "publishers": Organisation.objects.filter(documents__in=selectors.documents_visible(audience))
        .distinct().order_by("name"),
        "can_publish": bool(audience.editor_of) or audience.is_admin,
    }, status=200 if valid else 400)


def document_page(request, pk: int):
    audience = audience_for(request.user)
    document = selectors.with_list_relations(selectors.documents_visible(audience)).filter(pk=pk).first()
    if document is None:
        raise Http404
    return render(request, "library/document.html", {
        "document": document, "detail": selectors.document_detail(audience, document),
        "campaigns": advocacy_selectors.campaigns_visible(audience).filter(documents=document),
        "events": advocacy_selectors.events_visible(audience).filter(report=document),
    })


@login_required
def document_new(request):
    audience = audience_for(request.user)
    organisations = Organisation.objects.filter(editable_organisations_q(audience)).order_by("name")
    form = DocumentForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation, upload, transcript = data.pop("organisation"), data.pop("file"), data.pop("transcript")
        relations = {"themes": data.pop("themes"), "places": data.pop("places")}
        fields = {key: value for key, value in data.items() if value not in (None, "")}
        try:
            document = document_create(audience=audience, organisation=organisation, fields=fields,
                                       relations=relations,
                                       uploads=[Upload(upload, "", transcript)] if upload else [])
        except DomainError as error:
            form.add_error("file" if error.code.startswith(("file", "unsupported", "pdf", "image", "audio"))
                           else None, error_text(error))
        else:
            return redirect("library:document", pk=document.pk)
    return render(request, "library/document_form.html", {"form": form}, status=400 if form.errors else 200)


def campaigns(request):
    audience = audience_for(request.user)
    return render(request, "library/campaigns.html", {
        "campaigns": advocacy_selectors.campaigns_visible(audience).prefetch_related("places", "themes")[:200],
        "can_publish": bool(audience.editor_of) or audience.is_admin})


def campaign_page(request, pk: int):
    audience = audience_for(request.user)
    campaign = advocacy_selectors.campaigns_visible(audience).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return render(request, "library/campaign.html", {
        "campaign": campaign, "detail": advocacy_selectors.campaign_as_dict(audience, campaign, detail=True)})


def events(request):
    audience = audience_for(request.user)
    visible = advocacy_selectors.events_visible(audience)
    from django.utils import timezone

    now = timezone.now()
    return render(request, "library/events.html", {
        "upcoming": visible.filter(starts_at__gte=now).order_by("starts_at")[:100],
        "past": visible.filter(starts_at__lt=now).order_by("-starts_at")[:100],
        "news": advocacy_selectors.news_visible(audience)[:20],
        "can_publish": bool(audience.editor_of) or audience.is_admin,
    })


def event_page(request, pk: int):
    audience = audience_for(request.user)
    event = advocacy_selectors.events_visible(audience).filter(pk=pk).first()
    if event is None:
        raise Http404
    from .models import Recommendation

    return render(request, "library/event.html", {
        "event": event, "detail": advocacy_selectors.event_as_dict(audience, event, detail=True),
        "statuses": Recommendation.Status.choices})
