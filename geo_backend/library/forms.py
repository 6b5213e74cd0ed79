"""The site's forms to publish and edit documents, events and campaigns. The limits are those of the API's
serializers (api_serializers.py) and both go through the same services, which check the rest (uploads, links
to documents, permissions)."""
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from geo_backend.organisations.models import Organisation, Visibility
from geo_backend.regions.models import AdminUnit
from geo_backend.taxonomy.models import Theme

from .models import MAX_PARTICIPANTS, Document, Event, Language, Licence, Recommendation


def date_input():
    # The format the browser's date picker reads and sends, whatever the page's language.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def datetime_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DocumentForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Organisation"))
    title = forms.CharField(max_length=250, label=_("Titre"))
    kind = forms.ChoiceField(choices=Document.Kind.choices, label=_("Type de document"))
    language = forms.ChoiceField(choices=Language.choices, initial=Language.FRENCH, label=_("Langue"))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=20000,
                              label=_("Résumé"))
    themes = forms.ModelMultipleChoiceField(queryset=Theme.objects.filter(parent=None, is_active=True),
                                            widget=forms.CheckboxSelectMultiple, required=False, label=_("Thèmes"))
    places = forms.ModelMultipleChoiceField(
        queryset=AdminUnit.objects.filter(edition__is_default=True, level__in=[1, 2]).order_by("level", "name"),
        required=False, label=_("Lieux concernés (régions, cercles)"),
        widget=forms.SelectMultiple(attrs={"size": 6}))
    published_on = forms.DateField(required=False, label=_("Date"), widget=date_input())
    licence = forms.ChoiceField(choices=Licence.choices, label=_("Licence"))
    visibility = forms.ChoiceField(choices=Visibility.choices, label=_("Visibilité"))
    file = forms.FileField(required=False, label=_("Fichier (PDF, image, audio MP3/OGG/M4A/WAV)"))
    transcript = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=200_000,
                                 label=_("Transcription de l'audio (pour la recherche et pour lire sans écouter)"))
    external_url = forms.URLField(required=False, assume_scheme="https", max_length=200,
                                  label=_("Ou un lien (vidéo, page en ligne)"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:  # most editors work for one organisation: nothing to choose
            self.fields["organisation"].empty_label = None
        self.fields["places"].label_from_instance = lambda unit: (
            unit.name if unit.level == 1 else f"{unit.name} ({unit.parent.name if unit.parent_id else ''})")

    def clean(self):
        data = super().clean()
        if data.get("transcript") and not data.get("file") and "file" in self.fields:  # as the API refuses it
            self.add_error("transcript", _("Une transcription accompagne un enregistrement audio."))
        return data


def _places_field(label):
    field = forms.ModelMultipleChoiceField(
        queryset=AdminUnit.objects.filter(edition__is_default=True, level__in=[1, 2]).order_by("level", "name"),
        required=False, label=label, widget=forms.SelectMultiple(attrs={"size": 6}))
    field.label_from_instance = lambda unit: unit.name if unit.level == 1 else f"{unit.name} (cercle)"
    return field


class OwnedForm(forms.Form):
    """A form whose record belongs to one of the organisations the person edits."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Organisation"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].empty_label = None


class EventForm(OwnedForm):
    title = forms.CharField(max_length=250, label=_("Titre"))
    kind = forms.ChoiceField(choices=Event.Kind.choices, label=_("Type d'événement"))
    starts_at = forms.DateTimeField(label=_("Début"), widget=datetime_input())
    ends_at = forms.DateTimeField(required=False, label=_("Fin"),
                                  widget=datetime_input())
    venue = forms.CharField(max_length=200, required=False, label=_("Lieu (salle, adresse)"))
    place = forms.ModelChoiceField(
        queryset=AdminUnit.objects.filter(edition__is_default=True, level__in=[1, 2]).order_by("level", "name"),
        required=False, label=_("Région ou cercle"))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=20000,
                              label=_("Présentation"))
    programme = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=20000,
                                label=_("Programme"))
    speakers = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000,
                               label=_("Intervenant·es et animatrices (une personne par ligne)"))
    participants_women = forms.IntegerField(min_value=0, max_value=MAX_PARTICIPANTS, required=False,
                                            label=_("Nombre de participantes"))
    participants_men = forms.IntegerField(min_value=0, max_value=MAX_PARTICIPANTS, required=False,
                                          label=_("Nombre de participants (hommes)"))
    report = forms.ModelChoiceField(queryset=Document.objects.none(), required=False, label=_("Rapport"))
    recommendations = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False,
                                      label=_("Recommandations (une par ligne)"))
    themes = forms.ModelMultipleChoiceField(queryset=Theme.objects.filter(parent=None, is_active=True),
                                            widget=forms.CheckboxSelectMultiple, required=False, label=_("Thèmes"))
    visibility = forms.ChoiceField(choices=Visibility.choices, label=_("Visibilité"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, organisations=organisations, **kwargs)
        self.fields["report"].queryset = Document.objects.filter(organisation__in=organisations).order_by("-id")

    def clean(self):
        data = super().clean()
        if data.get("ends_at") and data.get("starts_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("La fin précède le début."))
        return data


class CampaignForm(OwnedForm):
    title = forms.CharField(max_length=250, label=_("Titre"))
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=20000, label=_("Le message"))
    start_date = forms.DateField(required=False, label=_("Début"), widget=date_input())
    end_date = forms.DateField(required=False, label=_("Fin"), widget=date_input())
    places = _places_field(_("Lieux concernés (régions, cercles)"))
    themes = forms.ModelMultipleChoiceField(queryset=Theme.objects.filter(parent=None, is_active=True),
                                            widget=forms.CheckboxSelectMultiple, required=False, label=_("Thèmes"))
    participants = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.filter(status="active").order_by("name"), required=False,
        label=_("Organisations participantes"), widget=forms.SelectMultiple(attrs={"size": 6}))
    documents = forms.ModelMultipleChoiceField(queryset=Document.objects.none(), required=False,
                                               label=_("Documents liés"),
                                               widget=forms.SelectMultiple(attrs={"size": 6}))
    visibility = forms.ChoiceField(choices=Visibility.choices, label=_("Visibilité"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, organisations=organisations, **kwargs)
        self.fields["documents"].queryset = Document.objects.filter(
            Q(organisation__in=organisations) | Q(visibility="public", organisation__status="active")
        ).order_by("title")

    def clean(self):
        data = super().clean()
        if data.get("end_date") and data.get("start_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("La fin précède le début."))
        return data


class LibraryFilters(forms.Form):
    """The library page's search and filters, with the API's limits (DocumentListParameters). Django's CharField
    refuses NUL characters, which PostgreSQL cannot compare. `page` is read by the paginator (a bad one gives the
    first or last page)."""

    q = forms.CharField(required=False, max_length=200)
    theme = forms.CharField(required=False, max_length=60)
    place = forms.CharField(required=False, max_length=20)
    kind = forms.ChoiceField(required=False, choices=[("", ""), *Document.Kind.choices])
    language = forms.ChoiceField(required=False, choices=[("", ""), *Language.choices])
    organisation = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class FollowUpForm(forms.Form):
    """A recommendation's follow-up, on the event's page."""

    status = forms.ChoiceField(choices=Recommendation.Status.choices, label=_("Suivi"))
    follow_up = forms.CharField(required=False, max_length=5000, label=_("Note de suivi"))
    version = forms.IntegerField(widget=forms.HiddenInput)


# --- Editing after publication ---------------------------------------------------------------------------------

class VersionForm(forms.Form):
    """The version the person saw: a change made meanwhile by someone else is refused, not overwritten."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput, error_messages=dict.fromkeys(
        ("required", "invalid", "min_value"), _("Formulaire incomplet ou périmé : rechargez la page.")))


class DocumentEditForm(VersionForm, DocumentForm):
    """A published document's description (its files are changed one by one, below it on the edit page)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, organisations=Organisation.objects.none(), **kwargs)
        for name in ("organisation", "file", "transcript"):
            del self.fields[name]


class FileAddForm(forms.Form):
    file = forms.FileField(label=_("Fichier (PDF, image, audio MP3/OGG/M4A/WAV)"))
    label = forms.CharField(max_length=200, required=False, label=_("Libellé"))
    transcript = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=200_000,
                                 label=_("Transcription (audio)"))


class FileEditForm(VersionForm):
    label = forms.CharField(max_length=200, required=False, label=_("Libellé"))
    transcript = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=200_000,
                                 label=_("Transcription"))


class EventEditForm(VersionForm, EventForm):
    """An event's description; its recommendations are followed up one by one on its page."""

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, organisations=Organisation.objects.filter(pk=organisation.pk), **kwargs)
        for name in ("organisation", "recommendations"):
            del self.fields[name]


class CampaignEditForm(VersionForm, CampaignForm):
    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, organisations=Organisation.objects.filter(pk=organisation.pk), **kwargs)
        del self.fields["organisation"]
