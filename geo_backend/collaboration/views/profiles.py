"""An organisation's editors change its profile, contacts (each with its visibility) and logo in the site."""
import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from geo_backend.common.errors import DomainError
from geo_backend.common.locking import StaleVersion
from geo_backend.organisations import selectors as organisation_selectors
from geo_backend.organisations.models import Organisation

from ..forms import ContactFormSet, ProfileForm
from ..services import profiles as services
from .common import show_refusal, who

PROFILE_FIELDS = ("name", "acronym", "description", "founded_year", "website", "head_office")


def _editable(request, slug) -> Organisation:
    audience = who(request)
    organisation = get_object_or_404(organisation_selectors.organisations_visible(audience), slug=slug)
    if not (audience.is_admin or organisation.id in audience.editor_of):
        raise Http404
    return organisation


def _initial(organisation: Organisation) -> tuple[dict, list[dict]]:
    fields = {name: getattr(organisation, name) for name in PROFILE_FIELDS}
    fields["head_office"] = organisation.head_office.pcode if organisation.head_office else ""
    fields["version"] = organisation.version
    contacts = [{"kind": c.kind, "value": c.value, "label": c.label, "visibility": c.visibility}
                for c in organisation.contacts.all()]
    return fields, contacts


@login_required
def profile_edit(request, slug):
    organisation = _editable(request, slug)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES)
        contacts = ContactFormSet(request.POST, prefix="contacts")
        if form.is_valid() and contacts.is_valid():
            kept = [c.cleaned_data for c in contacts.forms
                    if c.cleaned_data and not c.cleaned_data.get("DELETE") and c.cleaned_data.get("value")]
            fields = {name: form.cleaned_data[name] for name in PROFILE_FIELDS}
            try:
                services.organisation_profile_save(
                    audience=who(request), organisation=organisation, expected_version=form.cleaned_data["version"],
                    fields=fields, logo=form.cleaned_data["logo"] or None,
                    contacts=[{k: c[k] for k in ("kind", "value", "label", "visibility")} for c in kept])
            except StaleVersion:
                messages.error(request, _("Quelqu'un a enregistré ce profil entre-temps : voici la version actuelle. "
                                          "Refaites vos changements."))
                return redirect("collaboration:profile-edit", slug=organisation.slug)
            except DomainError as error:
                show_refusal(request, error)
            else:
                messages.success(request, _("Profil enregistré."))
                organisation.refresh_from_db()
                return redirect("web:profile", slug=organisation.slug)
    else:
        fields, contacts = _initial(organisation)
        form = ProfileForm(initial=fields)
        contacts = ContactFormSet(initial=contacts, prefix="contacts")
    return render(request, "collaboration/profile_edit.html", {"organisation": organisation, "form": form,
                                                               "contacts": contacts})


def logo(request, slug):
    """An organisation's logo (checked as a PNG, JPEG or WebP image when it was uploaded)."""
    organisation = get_object_or_404(organisation_selectors.organisations_visible(who(request)), slug=slug)
    if not organisation.logo or not default_storage.exists(organisation.logo.name):
        raise Http404
    content_type = mimetypes.guess_type(organisation.logo.name)[0] or "application/octet-stream"
    response = FileResponse(default_storage.open(organisation.logo.name, "rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
