"""The import page of the signed-in space: upload → preview (a dry run, row by row) → confirm (the real run).

The uploaded file waits between preview and confirmation in the default storage under its sha256; the session
lists the files this person uploaded, so nobody confirms someone else's file.
"""
import datetime as dt
import hashlib
import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from etl.columns import FIELDS
from etl.tables import MAX_BYTES
from geo_backend.common.errors import DomainError
from geo_backend.organisations.access import audience_for, importable_organisation_ids, visible_import_runs_q
from geo_backend.organisations.models import Organisation

from .models import ImportRun
from .services import import_file

PENDING = "imports/pending/{sha}"
SESSION_KEY = "exchange_pending"
PENDING_KEPT = dt.timedelta(days=1)  # a file previewed and never confirmed is forgotten after this


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Fichier (CSV, XLSX ou export KoBoToolbox)"))
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False,
                                          label=gettext_lazy("Organisation des lignes qui n'en indiquent pas"))
    scheme = forms.ChoiceField(required=False, label=gettext_lazy("Schéma des P-codes"), choices=[
        ("", gettext_lazy("Reconnaître d'après les noms")), ("cod2015", "COD-AB 2015"),
        ("hdx2017", gettext_lazy("Ancien schéma alphabétique (HDX 2017, 3W OCHA)"))])
    submit = forms.BooleanField(required=False, label=gettext_lazy("Soumettre à la validation du réseau"))

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Fichier trop volumineux (maximum %(mb)s Mo).") % {"mb": MAX_BYTES // 10**6})
        return upload


def _forget_old_pending_files() -> None:
    folder = PENDING.rsplit("/", 1)[0]
    if not default_storage.exists(folder):
        return
    oldest = timezone.now() - PENDING_KEPT
    for name in default_storage.listdir(folder)[1]:
        if default_storage.get_modified_time(f"{folder}/{name}") < oldest:
            default_storage.delete(f"{folder}/{name}")


def _organisations(audience):
    allowed = importable_organisation_ids(audience)
    queryset = Organisation.objects.exclude(status="archived").order_by("name")
    return queryset if allowed is None else queryset.filter(id__in=allowed)


def _message(request, error: DomainError) -> str:
    return error.message_en if request.LANGUAGE_CODE == "en" else error.message_fr


def _options(post) -> dict:
    organisation = post.get("organisation") or None
    return {"organisation_id": int(organisation) if organisation and organisation.isdigit() else None,
            "scheme": post.get("scheme") or None, "submit": post.get("submit") in ("on", "true", "1")}


@login_required
def import_page(request):
    audience = audience_for(request.user)
    organisations = _organisations(audience)
    if not (audience.is_admin or audience.editor_of):
        raise Http404
    context = {"runs": ImportRun.objects.filter(visible_import_runs_q(audience))[:10], "fields": FIELDS}
    if request.method != "POST":
        return render(request, "exchange/import.html", {**context, "form": UploadForm(organisations=organisations)})
    step = request.POST.get("step", "preview")
    if "file" in request.FILES:
        form = UploadForm(request.POST, request.FILES, organisations=organisations)
        if not form.is_valid():
            return render(request, "exchange/import.html", {**context, "form": form})
        data = form.cleaned_data["file"].read()
        sha = hashlib.sha256(data).hexdigest()
        _forget_old_pending_files()
        if not default_storage.exists(PENDING.format(sha=sha)):
            default_storage.save(PENDING.format(sha=sha), ContentFile(data))
        request.session[SESSION_KEY] = {**request.session.get(SESSION_KEY, {}), sha: form.cleaned_data["file"].name}
        filename = form.cleaned_data["file"].name
    else:
        sha = request.POST.get("sha", "")
        filename = request.session.get(SESSION_KEY, {}).get(sha)
        if filename is None or not default_storage.exists(PENDING.format(sha=sha)):
            messages.error(request, _("Fichier introuvable : déposez-le à nouveau."))
            return redirect("web:import")
        with default_storage.open(PENDING.format(sha=sha), "rb") as stored:
            data = stored.read()
    options = _options(request.POST)
    mapping = {field: request.POST[f"map_{field}"] for field in FIELDS if request.POST.get(f"map_{field}")} or None
    if mapping is None and request.POST.get("mapping"):
        mapping = json.loads(request.POST["mapping"])
    shared = {**context, "sha": sha, "filename": filename, "options": options,
              "mapping_json": json.dumps(mapping) if mapping else ""}
    try:
        report = import_file(audience=audience, data=data, filename=filename, mapping=mapping,
                             dry_run=step != "confirm", **options)
    except DomainError as error:
        details = error.details if isinstance(error.details, dict) else {}
        if error.code == "mapping_incomplete":
            return render(request, "exchange/import_mapping.html", {**shared, "error": _message(request, error),
                                                                    "columns": details.get("columns", []),
                                                                    "mapping": details.get("mapping", {})})
        messages.error(request, _message(request, error))
        if "rows" in details:
            return render(request, "exchange/import_preview.html", {**shared, "report": details})
        return redirect("web:import")
    if step == "confirm":
        default_storage.delete(PENDING.format(sha=sha))
        counts = report["counts"]
        messages.success(request, _("Import terminé : %(create)s créée(s), %(update)s mise(s) à jour, %(unchanged)s "
                                    "inchangée(s).") % counts)
        return redirect("web:import")
    return render(request, "exchange/import_preview.html", {**shared, "report": report})
