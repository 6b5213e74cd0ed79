"""The one way API views declare and check their query parameters (and path values that are free text).

A view names a DRF Serializer of its parameters (`query_serializer`, see api/views.py). Before the view runs, the
parameters are checked here: a name the serializer does not declare is refused with `unknown_parameter` (listing
the accepted ones), a bad value with `invalid_parameters` (details per parameter). The same serializer gives the
OpenAPI schema its parameters (api/schema.py), so the documentation cannot drift from what is accepted.

DRF's CharField already refuses NUL and lone surrogate characters, which PostgreSQL cannot store or compare: every
text parameter is a CharField, so none reaches a query.
"""
import math

from rest_framework import serializers

from geo_backend.common.errors import DomainError

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# Far more rows than any list holds, far below PostgreSQL's bigint (an offset past it was a 500).
MAX_OFFSET = 1_000_000_000
MAX_TEXT = 100
MAX_ID = 2**63 - 1  # PostgreSQL bigint: a larger id cannot name a record, and would fail in raw SQL


class QueryParameters(serializers.Serializer):
    """Base of every endpoint's query parameters."""


class WriteParameters(QueryParameters):
    """What a write (POST, PUT, PATCH, DELETE) takes in its address: only the version it changes, which may also be
    sent as If-Match or in the body (helpers.expected_version reads and checks it). Anything else is refused, so a
    caller who put a field in the address instead of the body learns it rather than seeing it ignored."""

    version = serializers.CharField(required=False, max_length=20)


class PageParameters(QueryParameters):
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT,
                                     help_text=f"Page size (1 to {MAX_LIMIT}).")
    offset = serializers.IntegerField(min_value=0, max_value=MAX_OFFSET, default=0,
                                      help_text="Number of results to skip.")


def id_field(**kwargs) -> serializers.IntegerField:
    """The id of a record (organisation, network, funder…)."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def _floats(value: str, count: int, message: str) -> list[float]:
    parts = str(value).split(",")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        raise serializers.ValidationError(message) from None
    if len(numbers) != count or not all(math.isfinite(n) for n in numbers):
        raise serializers.ValidationError(message)
    return numbers


def _check_lon_lat(lon: float, lat: float) -> None:
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise serializers.ValidationError(
            "Coordonnées hors limites : longitude entre -180 et 180, latitude entre -90 et 90. / Coordinates out "
            "of range: longitude between -180 and 180, latitude between -90 and 90.")


class ParsedCharField(serializers.CharField):
    """A text parameter parsed into a value (parse()) after the CharField's own checks (NUL, length) have run on
    the text itself: nothing unchecked reaches parse(), which may query the database."""

    def run_validation(self, data=serializers.empty):
        text = super().run_validation(data)
        return text if text in (None, "") else self.parse(text)

    def parse(self, text: str):
        raise NotImplementedError


class PointField(ParsedCharField):
    """"lon,lat" in decimal degrees (WGS 84)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_TEXT)
        super().__init__(**kwargs)

    def parse(self, text):
        lon, lat = _floats(text, 2, "Point attendu sous la forme « lon,lat » (degrés décimaux). / Expected a point "
                                    "as \"lon,lat\" (decimal degrees).")
        _check_lon_lat(lon, lat)
        return lon, lat


class BBoxField(ParsedCharField):
    """"minLon,minLat,maxLon,maxLat" in decimal degrees (WGS 84): finite, within the globe, with min < max."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_TEXT)
        kwargs.setdefault("help_text", "Bounding box minLon,minLat,maxLon,maxLat (WGS 84 degrees): only what "
                                       "intersects it.")
        super().__init__(**kwargs)

    def parse(self, text):
        min_lon, min_lat, max_lon, max_lat = _floats(
            text, 4, "Boîte attendue sous la forme « minLon,minLat,maxLon,maxLat » (4 nombres). / Expected a box as "
                     "\"minLon,minLat,maxLon,maxLat\" (4 numbers).")
        _check_lon_lat(min_lon, min_lat)
        _check_lon_lat(max_lon, max_lat)
        if not (min_lon < max_lon and min_lat < max_lat):
            raise serializers.ValidationError(
                "Le minimum doit précéder le maximum (minLon < maxLon, minLat < maxLat). / The minimum must come "
                "before the maximum (minLon < maxLon, minLat < maxLat).")
        return min_lon, min_lat, max_lon, max_lat


class ThemeCodesField(ParsedCharField):
    """Comma-separated theme codes of the taxonomy (a domain includes its sub-domains); unknown codes are refused,
    so that a typo does not silently match nothing."""

    max_codes: int | None = None

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 1000)
        kwargs.setdefault("help_text", "Theme codes, comma-separated (a domain includes its sub-domains).")
        super().__init__(**kwargs)

    def parse(self, text):
        from geo_backend.taxonomy.models import Theme

        codes = list(dict.fromkeys(c.strip() for c in text.split(",") if c.strip()))
        if not codes:
            raise serializers.ValidationError("Indiquez au moins un code de thème. / Give at least one theme code.")
        if self.max_codes is not None and len(codes) > self.max_codes:
            raise serializers.ValidationError("Un seul code de thème. / One theme code only.")
        known = set(Theme.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise serializers.ValidationError(
                f"Codes de thème inconnus / unknown theme codes: {', '.join(unknown)}")
        return codes


class ThemeCodeField(ThemeCodesField):
    """One theme code of the taxonomy (a domain includes its sub-domains)."""

    max_codes = 1

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 60)
        kwargs.setdefault("help_text", "Theme code (a domain includes its sub-domains).")
        super().__init__(**kwargs)

    def parse(self, text):
        return super().parse(text)[0]


def validated_query(serializer_class: type[serializers.Serializer], values) -> dict:
    """The values (a QueryDict or dict of path values) checked by serializer_class; refuses unknown names
    (`unknown_parameter`) and bad values (`invalid_parameters`), both 400 with the error shape."""
    accepted = list(serializer_class().fields)
    unknown = sorted(set(values) - set(accepted))
    if unknown:
        raise DomainError(
            "unknown_parameter",
            f"Paramètres inconnus : {', '.join(unknown)}. Paramètres acceptés : {', '.join(accepted) or 'aucun'}.",
            f"Unknown parameters: {', '.join(unknown)}. Accepted parameters: {', '.join(accepted) or 'none'}.",
            details={"unknown": unknown, "accepted": accepted})
    repeated = sorted(name for name in values if hasattr(values, "getlist") and len(values.getlist(name)) > 1)
    if repeated:
        raise DomainError("invalid_parameters", f"Paramètres répétés : {', '.join(repeated)}.",
                          f"Repeated parameters: {', '.join(repeated)}.",
                          details={name: ["Une seule valeur. / One value only."] for name in repeated})
    serializer = serializer_class(data=values)
    if not serializer.is_valid():
        raise DomainError("invalid_parameters", "Paramètres invalides : voir le détail par paramètre.",
                          "Invalid parameters: see the details per parameter.", details=serializer.errors)
    return dict(serializer.validated_data)
