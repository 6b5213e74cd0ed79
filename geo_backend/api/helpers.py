"""Small pieces every API view uses: strict input, pagination, versions as ETags, the caller's audience."""
import re

from rest_framework import serializers

from geo_backend.common.errors import DomainError
from geo_backend.organisations.access import Audience, audience_for

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so that a typo or an attempt to set a protected field is not ignored."""

    def to_internal_value(self, data):
        # Checked on the incoming data itself, so nested serializers (an organisation's contacts) are strict too.
        unknown = sorted(set(data) - set(self.fields)) if isinstance(data, dict) else []
        if unknown:
            raise DomainError("field_not_allowed", f"Champs inconnus ou non modifiables : {', '.join(unknown)}.",
                              f"Unknown or protected fields: {', '.join(unknown)}.", details={"fields": unknown})
        return super().to_internal_value(data)


def validated(serializer_class, data, *, partial: bool = False) -> dict:
    serializer = serializer_class(data=data, partial=partial)
    if not serializer.is_valid():
        raise DomainError("invalid", "Données invalides : voir le détail par champ.",
                          "Invalid data: see the details per field.", details=serializer.errors)
    return dict(serializer.validated_data)


class PageParams(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT)
    offset = serializers.IntegerField(min_value=0, default=0)


def page_params(request) -> tuple[int, int]:
    serializer = PageParams(data={k: request.query_params[k] for k in ("limit", "offset")
                                  if k in request.query_params})
    if not serializer.is_valid():
        raise DomainError("invalid_parameters", "Pagination invalide (limit, offset).",
                          "Invalid paging (limit, offset).",
                          details=serializer.errors)
    return serializer.validated_data["limit"], serializer.validated_data["offset"]


def page_links(request, *, count: int, limit: int, offset: int) -> dict:
    def link(new_offset):
        query = request.query_params.copy()
        query["limit"], query["offset"] = limit, new_offset
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": count,
        "next": link(offset + limit) if offset + limit < count else None,
        "previous": link(max(offset - limit, 0)) if offset > 0 else None,
    }


def etag(kind: str, pk: int, version: int) -> str:
    return f'"{kind}-{pk}-v{version}"'


_ETAG_VERSION = re.compile(r'^(?:W/)?"[a-z]+-\d+-v(\d+)"$')


def expected_version(request, data: dict | None = None) -> int:
    """The version the caller read: from the If-Match header (an ETag we sent) or a "version" field.

    Without one, an update could silently overwrite someone else's work, so it is refused (428).
    """
    header = request.headers.get("If-Match", "").strip()
    if header:
        match = _ETAG_VERSION.match(header)
        if not match:
            raise DomainError("if_match_invalid", "En-tête If-Match illisible.", "Unreadable If-Match header.",
                              status_code=412)
        return int(match.group(1))
    raw = (data or {}).get("version", request.query_params.get("version"))
    if raw in (None, ""):
        raise DomainError(
            "version_required",
            "Indiquez la version que vous modifiez (en-tête If-Match ou champ « version »).",
            "Say which version you are changing (If-Match header or a \"version\" field).",
            status_code=428,
        )
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise DomainError("version_invalid", "Version invalide.", "Invalid version.") from None


def body_without_version(request) -> dict:
    """The request body minus "version" (read separately by expected_version), ready for a strict serializer."""
    data = dict(request.data)
    data.pop("version", None)
    return data


def audience(request) -> Audience:
    return audience_for(request.user)
