"""Mali's administrative units, versioned by edition, with population, older-scheme aliases and localities."""
import uuid

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _


def new_layers_token() -> str:
    return uuid.uuid4().hex


class Edition(models.Model):
    """A named set of boundaries (e.g. "COD-AB 2015"). Every stored reference keeps its edition."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    source = models.TextField(blank=True)
    published_on = models.DateField(null=True, blank=True)
    pcode_scheme = models.CharField(max_length=30, help_text=_("Schéma de P-codes, p. ex. cod2015"))
    licence = models.TextField(blank=True)
    attribution = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)
    # Drawn anew whenever a load changes the edition's units or population: layers rendered under another token
    # are stale (regions/layer_store.py). Random rather than counted, so that a load rolled back cannot make a
    # later one reuse the token of layers rendered from data that never committed.
    layers_token = models.CharField(max_length=32, default=new_layers_token)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_edition"),
        ]

    def __str__(self):
        return self.name


class AdminLevel(models.IntegerChoices):
    COUNTRY = 0, _("Pays")
    REGION = 1, _("Région")
    CERCLE = 2, _("Cercle")
    COMMUNE = 3, _("Commune")
    QUARTIER = 4, _("Quartier")


class AdminUnit(models.Model):
    """A region, cercle, commune or quartier of one edition, with full and web (simplified) geometry."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="units")
    level = models.PositiveSmallIntegerField(choices=AdminLevel.choices)
    pcode = models.CharField(max_length=20)
    name = models.CharField(max_length=150)
    name_normalised = models.CharField(max_length=150)
    # Normalised forms of the name and alternative names, for accent/case/prefix-insensitive lookup.
    name_variants = ArrayField(models.CharField(max_length=150), default=list)
    alt_names = ArrayField(models.CharField(max_length=150), default=list, blank=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    geom = models.MultiPolygonField(srid=4326)
    web_geom = models.MultiPolygonField(srid=4326)
    area_km2 = models.FloatField(help_text=_("Calculée sur l'ellipsoïde (type geography)"))
    valid_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["edition", "level", "pcode"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "pcode"], name="unit_pcode_unique_in_edition"),
            models.CheckConstraint(condition=Q(level__gte=0, level__lte=4), name="unit_level_0_to_4"),
            models.CheckConstraint(condition=Q(geom__isvalid=True), name="unit_geom_valid"),
            models.CheckConstraint(condition=Q(web_geom__isvalid=True), name="unit_web_geom_valid"),
        ]
        indexes = [
            models.Index(fields=["edition", "level"]),
            GinIndex(OpClass("name_normalised", name="gin_trgm_ops"), name="unit_name_trgm"),
            GinIndex(fields=["name_variants"], name="unit_name_variants"),
            models.Index(Upper("pcode"), name="unit_pcode_upper"),
        ]

    def __str__(self):
        return f"{self.name} ({self.pcode})"


class Population(models.Model):
    """Population of a unit by sex for one year (DNP projections from the 2009 census)."""

    unit = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField()
    female = models.PositiveIntegerField()
    male = models.PositiveIntegerField()
    total = models.PositiveIntegerField()
    source = models.CharField(max_length=100)

    class Meta:
        ordering = ["unit", "year"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="population_one_per_unit_year")]


class PcodeAlias(models.Model):
    """A unit's code in another P-code scheme (e.g. the older alphabetical scheme "hdx2017").

    The same code means different units in the two schemes, so an alias is always looked up with its scheme.
    The edition is repeated here so that (edition, scheme, code) can be unique.
    """

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="aliases")
    unit = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="aliases")
    scheme = models.CharField(max_length=30)
    pcode = models.CharField(max_length=20)
    name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["scheme", "pcode"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "scheme", "pcode"], name="alias_unique_in_scheme"),
        ]


class Locality(models.Model):
    """A populated place (village, town) of the OCHA gazetteer."""

    class PlaceClass(models.IntegerChoices):
        NATIONAL_CAPITAL = 1, _("Capitale nationale")
        REGION_CAPITAL = 2, _("Chef-lieu de région")
        CERCLE_CAPITAL = 3, _("Chef-lieu de cercle")
        COMMUNE_CAPITAL = 4, _("Chef-lieu de commune")
        OTHER = 5, _("Village ou autre localité")

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="localities")
    pcode = models.CharField(max_length=20)
    name = models.CharField(max_length=150)
    name_normalised = models.CharField(max_length=150)
    alt_names = ArrayField(models.CharField(max_length=150), default=list, blank=True)
    place_class = models.PositiveSmallIntegerField(choices=PlaceClass.choices)
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, null=True, related_name="localities")
    geom = models.PointField(srid=4326)

    class Meta:
        ordering = ["place_class", "name"]
        verbose_name_plural = "localities"
        constraints = [
            models.UniqueConstraint(fields=["edition", "pcode"], name="locality_pcode_unique_in_edition"),
        ]
        indexes = [GinIndex(OpClass("name_normalised", name="gin_trgm_ops"), name="locality_name_trgm")]

    def __str__(self):
        return self.name


class RenderedLayer(models.Model):
    """A boundary layer or area tile rendered once for one version of an edition's boundaries, stored with its
    compressed forms and ETag, so that requests serve bytes instead of rebuilding it in PostGIS."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="rendered_layers")
    layers_token = models.CharField(max_length=32)
    kind = models.CharField(max_length=20)
    # The parameters that select the layer, in one canonical text form (e.g. "level=2&parent=&geometry=web").
    parameters = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    etag = models.CharField(max_length=80)
    identity = models.BinaryField()
    gzip = models.BinaryField()
    brotli = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "layers_token", "kind", "parameters"],
                                    name="rendered_layer_unique"),
        ]
