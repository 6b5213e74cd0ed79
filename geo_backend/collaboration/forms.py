"""Forms of the collaboration pages: they shape and check input; the services decide and write."""
from django import forms
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from geo_backend.common.limits import DESCRIPTION_MAX_LENGTH
from geo_backend.organisations.models import Contact, Organisation, Visibility
from geo_backend.regions.models import AdminUnit
from geo_backend.taxonomy.models import Theme

from .models import PartnershipRole


def themes_in_order():
    """Active themes, each domain followed by its sub-domains."""
    return (Theme.objects.filter(is_active=True).annotate(domain_position=Coalesce("parent__position", "position"))
            .order_by("domain_position", F("parent").asc(nulls_first=True), "position", "code"))


def unit_label(unit: AdminUnit) -> str:
    return f"{unit.name} ({unit.pcode})"


class PartnershipForm(forms.Form):
    proposer = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Au nom de"))
    partner = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Organisation partenaire"))
    role = forms.ChoiceField(choices=PartnershipRole.choices, label=_("Rôle proposé"))
    communes = forms.ModelMultipleChoiceField(queryset=AdminUnit.objects.none(), required=False,
                                              to_field_name="pcode", widget=forms.CheckboxSelectMultiple,
                                              label=_("Communes"))
    larger_areas = forms.ModelMultipleChoiceField(queryset=AdminUnit.objects.none(), required=False,
                                                  to_field_name="pcode", label=_("Cercles ou régions entiers"))
    other_pcodes = forms.CharField(required=False, max_length=500, label=_("Autres communes (P-codes, séparés par "
                                                                            "des virgules)"))
    themes = forms.ModelMultipleChoiceField(queryset=Theme.objects.none(), to_field_name="code",
                                            widget=forms.CheckboxSelectMultiple, label=_("Thèmes"))
    message = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                              label=_("Message"))

    def __init__(self, *args, proposers, edition, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.fields["proposer"].queryset = proposers
        self.fields["partner"].queryset = Organisation.objects.filter(status=Organisation.Status.ACTIVE)
        units = AdminUnit.objects.filter(edition=edition)
        self.fields["communes"].queryset = units.filter(level=3, pcode__in=list(communes)).order_by("name")
        self.fields["communes"].label_from_instance = unit_label
        self.fields["larger_areas"].queryset = units.filter(level__in=[1, 2]).order_by("level", "name")
        self.fields["larger_areas"].label_from_instance = lambda u: f"{u.get_level_display()} · {unit_label(u)}"
        self.fields["themes"].queryset = themes_in_order()
        self.fields["themes"].label_from_instance = lambda t: t.label if t.parent_id is None else f"— {t.label}"

    def clean_other_pcodes(self):
        codes = [c.strip().upper() for c in self.cleaned_data["other_pcodes"].split(",") if c.strip()]
        units = list(AdminUnit.objects.filter(edition=self.edition, pcode__in=codes, level__in=[1, 2, 3]))
        unknown = sorted(set(codes) - {u.pcode for u in units})
        if unknown:
            raise forms.ValidationError(_("P-codes inconnus : %(codes)s") % {"codes": ", ".join(unknown)})
        return units

    def areas(self) -> list[AdminUnit]:
        data = self.cleaned_data
        return list({u.pk: u for u in [*data["communes"], *data["larger_areas"], *data["other_pcodes"]]}.values())


class ProfileForm(forms.Form):
    """The fields an organisation's editors change (the organisations app's EDITOR_FIELDS, minus the kind)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(max_length=200, label=_("Nom"))
    acronym = forms.CharField(max_length=40, required=False, label=_("Sigle"))
    description = forms.CharField(required=False, max_length=DESCRIPTION_MAX_LENGTH,
                                  widget=forms.Textarea(attrs={"rows": 5}), label=_("Description"))
    founded_year = forms.IntegerField(min_value=1900, max_value=2100, required=False, label=_("Année de création"))
    website = forms.URLField(required=False, assume_scheme="https", label=_("Site web"))
    head_office = forms.CharField(max_length=20, required=False, label=_("Siège (P-code de la localité)"),
                                  help_text=_("Par exemple ML0701001 ; laissez vide si inconnu."))
    logo = forms.FileField(required=False, label=_("Logo (PNG, JPEG ou WebP, 1 Mo au plus)"),
                           widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}))

    def clean_head_office(self):
        from geo_backend.regions.models import Locality

        code = self.cleaned_data["head_office"].strip().upper()
        if not code:
            return None
        locality = Locality.objects.filter(pcode=code, edition__is_default=True).first()
        if locality is None:
            raise forms.ValidationError(_("Localité inconnue : %(code)s") % {"code": code})
        return locality


class ContactForm(forms.Form):
    kind = forms.ChoiceField(choices=Contact.Kind.choices, label=_("Type"))
    value = forms.CharField(max_length=200, label=_("Coordonnée"))
    label = forms.CharField(max_length=100, required=False, label=_("Libellé"))
    visibility = forms.ChoiceField(choices=Visibility.choices, label=_("Visible par"))


ContactFormSet = forms.formset_factory(ContactForm, extra=2, can_delete=True, max_num=30)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique de la personne"))


class NewAccountForm(forms.Form):
    username = forms.CharField(max_length=150, label=_("Identifiant"))
    password1 = forms.CharField(widget=forms.PasswordInput, label=_("Mot de passe"))
    password2 = forms.CharField(widget=forms.PasswordInput, label=_("Mot de passe (encore)"))

    def clean(self):
        data = super().clean()
        if data.get("password1") != data.get("password2"):
            raise forms.ValidationError(_("Les deux mots de passe diffèrent."))
        return data


class TrainingForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Titre"))
    description = forms.CharField(required=False, max_length=DESCRIPTION_MAX_LENGTH,
                                  widget=forms.Textarea(attrs={"rows": 4}), label=_("Description"))
    themes = forms.ModelMultipleChoiceField(queryset=Theme.objects.none(), to_field_name="code",
                                            widget=forms.CheckboxSelectMultiple, label=_("Thèmes"))
    format = forms.ChoiceField(choices=(), label=_("Format"))
    trainer_organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(),
                                                  label=_("Organisation formatrice"))
    network = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False,
                                     label=_("Réservée aux membres du réseau (facultatif)"))
    locality = forms.CharField(max_length=20, required=False, label=_("Lieu (P-code de la localité)"),
                               help_text=_("Obligatoire en présentiel ou hybride, par exemple ML0701001."))
    venue = forms.CharField(max_length=200, required=False, label=_("Salle, adresse"))
    start_date = forms.DateField(label=_("Début"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("Fin"), widget=forms.DateInput(attrs={"type": "date"}))
    seats = forms.IntegerField(min_value=1, max_value=10000, label=_("Places"))
    materials = forms.CharField(required=False, max_length=DESCRIPTION_MAX_LENGTH,
                                widget=forms.Textarea(attrs={"rows": 2}),
                                label=_("Supports (titres ou liens de la bibliothèque)"))
    needs = forms.ModelMultipleChoiceField(queryset=None, required=False, to_field_name="code",
                                           widget=forms.CheckboxSelectMultiple,
                                           label=_("Besoins de capacité auxquels elle répond"))

    def __init__(self, *args, trainers, **kwargs):
        from .models import Dimension, Training

        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = themes_in_order()
        self.fields["themes"].label_from_instance = lambda t: t.label if t.parent_id is None else f"— {t.label}"
        self.fields["format"].choices = Training.Format.choices
        self.fields["trainer_organisation"].queryset = trainers
        self.fields["network"].queryset = Organisation.objects.filter(kind__in=Organisation.NETWORK_KINDS,
                                                                      status=Organisation.Status.ACTIVE)
        self.fields["needs"].queryset = Dimension.objects.filter(is_active=True)
        self.fields["needs"].label_from_instance = lambda d: d.label

    def clean_locality(self):
        from geo_backend.regions.models import Locality

        code = self.cleaned_data["locality"].strip().upper()
        if not code:
            return None
        locality = Locality.objects.filter(pcode=code, edition__is_default=True).first()
        if locality is None:
            raise forms.ValidationError(_("Localité inconnue : %(code)s") % {"code": code})
        return locality


class RegistrationForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Organisation"))
    participants = forms.IntegerField(min_value=1, max_value=1000, label=_("Nombre de personnes"))
    note = forms.CharField(max_length=300, required=False, label=_("Remarque (sans nom de personne)"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class MentoringPairForm(forms.Form):
    network = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Réseau"))
    mentor_name = forms.CharField(max_length=120, label=_("Mentore (expérimentée)"))
    mentee_name = forms.CharField(max_length=120, label=_("Mentorée (débutante)"))
    mentor_username = forms.CharField(max_length=150, required=False, label=_("Compte de la mentore (facultatif)"))
    mentee_username = forms.CharField(max_length=150, required=False, label=_("Compte de la mentorée (facultatif)"))
    themes = forms.ModelMultipleChoiceField(queryset=Theme.objects.none(), to_field_name="code",
                                            widget=forms.CheckboxSelectMultiple, label=_("Thèmes"))
    started_on = forms.DateField(required=False, label=_("Début"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks
        self.fields["themes"].queryset = themes_in_order()
        self.fields["themes"].label_from_instance = lambda t: t.label if t.parent_id is None else f"— {t.label}"


class MentoringLogForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 3}), label=_("Suivi"))
