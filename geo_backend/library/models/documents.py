"""Documents (reports, guides, laws, advocacy notes, audio testimonies…) and the files that carry them."""
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from geo_backend.organisations.models import Organisation, Visibility
from geo_backend.regions.models import AdminUnit
from geo_backend.taxonomy.models import Theme


class Language(models.TextChoices):
    """Languages of Mali's documentation (ISO 639 codes), French first."""

    FRENCH = "fr", _("Français")
    BAMBARA = "bm", _("Bambara")
    FULFULDE = "ff", _("Fulfulde (peul)")
    SONGHAY = "ses", _("Songhay")
    TAMASHEQ = "tmh", _("Tamasheq")
    SONINKE = "snk", _("Soninké")
    ENGLISH = "en", _("Anglais")
    ARABIC = "ar", _("Arabe")
    OTHER = "other", _("Autre langue")


class Licence(models.TextChoices):
    CC_BY = "cc-by-4.0", _("CC BY 4.0")
    CC_BY_SA = "cc-by-sa-4.0", _("CC BY-SA 4.0")
    CC_BY_NC = "cc-by-nc-4.0", _("CC BY-NC 4.0")
    PUBLIC_DOMAIN = "public-domain", _("Domaine public (texte officiel)")
    ALL_RIGHTS = "all-rights-reserved", _("Tous droits réservés")


class Document(models.Model):
    class Kind(models.TextChoices):
        REPORT = "rapport", _("Rapport")
        GUIDE = "guide", _("Guide")
        LAW = "texte-de-loi", _("Texte de loi")
        ADVOCACY_NOTE = "note-de-plaidoyer", _("Note de plaidoyer")
        FACT_SHEET = "fiche-pratique", _("Fiche pratique")
        AUDIO_TESTIMONY = "temoignage-audio", _("Témoignage audio")
        POSTER = "affiche", _("Affiche")
        VIDEO = "video", _("Vidéo (lien)")

    # The organisation whose editors manage the document; co_publishers are shown beside it.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="documents",
                                     verbose_name=_("organisation"))
    co_publishers = models.ManyToManyField(Organisation, blank=True, related_name="co_published_documents",
                                           verbose_name=_("co-éditeurs"))
    title = models.CharField(_("titre"), max_length=250)
    summary = models.TextField(_("résumé"), blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("langue"), max_length=5, choices=Language.choices, default=Language.FRENCH)
    themes = models.ManyToManyField(Theme, blank=True, related_name="documents", verbose_name=_("thèmes"))
    places = models.ManyToManyField(AdminUnit, blank=True, related_name="documents", verbose_name=_("lieux"))
    published_on = models.DateField(_("date"), null=True, blank=True)
    licence = models.CharField(_("licence"), max_length=24, choices=Licence.choices, default=Licence.CC_BY)
    visibility = models.CharField(_("visibilité"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)
    external_url = models.URLField(_("lien externe"), blank=True, help_text=_("Vidéo ou page en ligne"))
    # Title (A), summary (B), transcripts and text extracted from PDFs (C), in the musoya_fr configuration
    # (French + unaccent); rewritten by services.documents.document_search_refresh.
    search_vector = SearchVectorField(null=True, editable=False)
    is_demo = models.BooleanField(_("exemple fictif"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_on", "-created_at"]
        verbose_name = _("document")
        indexes = [
            GinIndex(fields=["search_vector"], name="document_search_gin"),
            models.Index(fields=["visibility", "kind", "language"], name="document_filters"),
        ]

    def __str__(self):
        return self.title


class DocumentFile(models.Model):
    """One file of a document: a PDF, an image or an audio recording (with its transcript).

    The original is kept as uploaded (under a random name); the worker adds a compact Opus copy of audio, the
    text and a first-page thumbnail of PDFs. The type is the one read from the content, never from the name.
    """

    class Kind(models.TextChoices):
        PDF = "pdf", _("PDF")
        IMAGE = "image", _("Image")
        AUDIO = "audio", _("Audio")

    class Processing(models.TextChoices):
        PENDING = "pending", _("En préparation")
        DONE = "done", _("Prêt")
        FAILED = "failed", _("Échec (nouvel essai prévu)")
        GAVE_UP = "gave_up", _("Échec définitif")
        NOT_NEEDED = "not_needed", _("Rien à préparer")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    label = models.CharField(_("libellé"), max_length=200, blank=True)
    original = models.FileField(max_length=300)
    original_name = models.CharField(max_length=200, help_text=_("Nom nettoyé, proposé au téléchargement"))
    content_type = models.CharField(max_length=80, help_text=_("Type lu dans le contenu du fichier"))
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # PDFs with JavaScript or automatic actions are served as opaque downloads (application/octet-stream).
    has_active_content = models.BooleanField(default=False)
    duration_seconds = models.FloatField(null=True, blank=True)
    transcript = models.TextField(_("transcription"), blank=True)
    compact = models.FileField(max_length=300, blank=True)
    compact_size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    thumbnail = models.FileField(max_length=300, blank=True)
    extracted_text = models.TextField(blank=True, editable=False)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    processing = models.CharField(max_length=10, choices=Processing.choices, default=Processing.PENDING)
    processing_error = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["document", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind="audio") | Q(duration_seconds__isnull=True),
                                   name="documentfile_duration_only_for_audio"),
        ]

    def __str__(self):
        return self.original_name
