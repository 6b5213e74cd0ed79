"""The site's form to publish a document (the API takes the same fields)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from geo_backend.organisations.models import Organisation, Visibility
from geo_backend.regions.models import AdminUnit
from geo_backend.taxonomy.models import Theme

from .models import Document, Language, Licence


class DocumentForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Organisation"))
    title = forms.CharField(max_length=250, label=_("Titre"))
    kind = forms.ChoiceField(choices=Document.Kind.choices, label=_("Type de document"))
    language = forms.ChoiceField(choices=Language.choices, initial=Language.FRENCH, label=_("Langue"))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, label=_("Résumé"))
    themes = forms.ModelMultipleChoiceField(queryset=Theme.objects.filter(parent=None, is_active=True),
                                            widget=forms.CheckboxSelectMultiple, required=False, label=_("Thèmes"))
    places = forms.ModelMultipleChoiceField(
        queryset=AdminUnit.objects.filter(edition__is_default=True, level__in=[1, 2]).order_by("level", "name"),
        required=False, label=_("Lieux concernés (régions, cercles)"),
        widget=forms.SelectMultiple(attrs={"size": 6}))
    published_on = forms.DateField(required=False, label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    licence = forms.ChoiceField(choices=Licence.choices, label=_("Licence"))
    visibility = forms.ChoiceField(choices=Visibility.choices, label=_("Visibilité"))
    file = forms.FileField(required=False, label=_("Fichier (PDF, image, audio MP3/OGG/M4A/WAV)"))
    transcript = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False,
                                 label=_("Transcription de l'audio (pour la recherche et pour lire sans écouter)"))
    external_url = forms.URLField(required=False, assume_scheme="https", label=_("Ou un lien (vidéo, page en ligne)"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:  # most editors work for one organisation: nothing to choose
            self.fields["organisation"].empty_label = None
        self.fields["places"].label_from_instance = lambda unit: (
            unit.name if unit.level == 1 else f"{unit.name} ({unit.parent.name if unit.parent_id else ''})")
