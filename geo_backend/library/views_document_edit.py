"""The site's pages to change a published document: its description, its files (add one, change a label or a
transcript, remove one) and the document itself. The same services as the API (services/documents.py), each
operation in one transaction; who may do it is decided by organisations/access/ (through the selectors):
a document one cannot see answers 404, one one can see but not edit answers 403."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from geo_backend.common.errors import DomainError
from geo_backend.organisations.access import audience_for, can_edit_document

from .forms import DocumentEditForm, FileAddForm, FileEditForm, VersionForm
from .models import Document
from .selectors import documents as selectors
from .services import documents as services
from .views import error_text

METADATA = ("title", "kind", "language", "summary", "published_on", "licence", "visibility", "external_url")
UPLOAD_CODES = ("file", "unsupported", "pdf", "image", "audio", "transcript")


def _editable_document(request, pk: int):
    audience = audience_for(request.user)
    document = selectors.documents_visible(audience).filter(pk=pk).first()
    if document is None:
        raise Http404
    if not can_edit_document(audience, organisation_id=document.organisation_id):
        raise PermissionDenied
    return audience, document


def _editable_file(request, pk: int):
    audience = audience_for(request.user)
    document_file = selectors.document_file_visible(audience, pk)
    if document_file is None:
        raise Http404
    if not can_edit_document(audience, organisation_id=document_file.document.organisation_id):
        raise PermissionDenied
    return audience, document_file


def _initial(document: Document) -> dict:
    return {**{name: getattr(document, name) for name in METADATA}, "version": document.version,
            "themes": list(document.themes.all()), "places": list(document.places.all())}


def _edit_page(request, document: Document, *, form=None, add_form=None, status=200):
    audience = audience_for(request.user)
    return render(request, "library/document_edit.html", {
        "document": document, "form": form or DocumentEditForm(initial=_initial(document)),
        "add_form": add_form or FileAddForm(),
        "files": selectors.document_detail(audience, selectors.with_list_relations(
            selectors.documents_visible(audience)).get(pk=document.pk))["files"],
    }, status=status)


@login_required
def document_edit(request, pk: int):
    audience, document = _editable_document(request, pk)
    if request.method != "POST":
        return _edit_page(request, document)
    form, status = DocumentEditForm(request.POST), 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.document_update(audience=audience, document=document, expected_version=data["version"],
                                     fields={name: data[name] for name in METADATA},
                                     relations={"themes": data["themes"], "places": data["places"]})
        except DomainError as error:  # a change made meanwhile (412), a link refused…
            form.add_error(None, error_text(error))
            status = error.status_code
        else:
            messages.success(request, _("Document enregistré."))
            return redirect("library:document", pk=document.pk)
    return _edit_page(request, document, form=form, status=status)


@login_required
@require_POST
def document_file_add(request, pk: int):
    audience, document = _editable_document(request, pk)
    form, status = FileAddForm(request.POST, request.FILES), 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.document_file_add(audience=audience, document=document,
                                       upload=services.Upload(data["file"], data["label"], data["transcript"]))
        except DomainError as error:
            form.add_error("file" if error.code.startswith(UPLOAD_CODES) else None, error_text(error))
            status = error.status_code  # 413 too large, 415 refused type
        else:
            messages.success(request, _("Fichier ajouté."))
            return redirect("library:document-edit", pk=document.pk)
    return _edit_page(request, document, add_form=form, status=status)


@login_required
@require_POST
def document_file_edit(request, pk: int):
    audience, document_file = _editable_file(request, pk)
    form = FileEditForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        fields = {"label": data["label"]}
        if document_file.kind == document_file.Kind.AUDIO:
            fields["transcript"] = data["transcript"]
        try:
            services.document_file_update(audience=audience, document_file=document_file,
                                          expected_version=data["version"], fields=fields)
            messages.success(request, _("Fichier enregistré."))
        except DomainError as error:
            messages.error(request, error_text(error))
    else:
        messages.error(request, _("Modification du fichier invalide."))
    return redirect("library:document-edit", pk=document_file.document_id)


@login_required
@require_POST
def document_file_delete(request, pk: int):
    audience, document_file = _editable_file(request, pk)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.document_file_delete(audience=audience, document_file=document_file,
                                          expected_version=form.cleaned_data["version"])
            messages.success(request, _("Fichier supprimé."))
        except DomainError as error:
            messages.error(request, error_text(error))
    else:
        messages.error(request, _("Suppression invalide."))
    return redirect("library:document-edit", pk=document_file.document_id)


@login_required
@require_POST
def document_delete(request, pk: int):
    audience, document = _editable_document(request, pk)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.document_delete(audience=audience, document=document,
                                     expected_version=form.cleaned_data["version"])
        except DomainError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Document supprimé."))
            return redirect("library:index")
    else:
        messages.error(request, _("Suppression invalide."))
    return redirect("library:document-edit", pk=document.pk)
