"""Small pieces every API view uses: strict bodies, paging links, versions as ETags, the caller's audience.

Query parameters (paging included) are declared and checked in api/query.py."""
import re

from rest_framework import serializers

from geo_backend.common.errors import DomainError
from geo_backend.organisations.access import Audience, audience_for


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


def page_link(request, *, limit: int, offset: int) -> str:
    """The address of the page of `limit` results from `offset`, with the request's other parameters."""
    query = request.query_params.copy()
    query["limit"], query["offset"] = limit, offset
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def page_links(request, *, count: int, limit: int, offset: int) -> dict:
    return {
        "count": count,
        "next": page_link(request, limit=limit, offset=offset + limit) if offset + limit < count else None,
        "previous": page_link(request, limit=limit, offset=max(offset - limit, 0)) if offset > 0 else None,
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
    raw = (data if isinstance(data, dict) else {}).get("version", request.query_params.get("version"))
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
    if not isinstance(request.data, dict):
        raise DomainError("invalid", "Le corps de la requête doit être un objet JSON.",
                          "The request body must be a JSON object.")
    data = dict(request.data)
    data.pop("version", None)
    return data


def audience(request) -> Audience:
    return audience_for(request.user)
