"""What the collaboration endpoints share: strict query parameters, paging, versioned responses, lookups."""
from rest_framework import serializers
from rest_framework.response import Response

from geo_backend.api.helpers import StrictSerializer, etag, page_links
from geo_backend.api.query import DEFAULT_LIMIT, MAX_LIMIT
from geo_backend.common.errors import DomainError, NotFound


class QueryParams(serializers.Serializer):
    """Query parameters of a list endpoint. Unknown ones are refused, so that a typo ("statut=") does not silently
    return everything. (To align with the shared query-parameter layer of geo_backend/api/helpers.py.)"""

    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT)
    offset = serializers.IntegerField(min_value=0, default=0)


def query_params(params_class: type[serializers.Serializer], request) -> dict:
    unknown = sorted(set(request.query_params) - set(params_class().fields))
    if unknown:
        raise DomainError("unknown_parameters", f"Paramètres inconnus : {', '.join(unknown)}.",
                          f"Unknown parameters: {', '.join(unknown)}.", details={"parameters": unknown})
    params = params_class(data=request.query_params)
    if not params.is_valid():
        raise DomainError("invalid_parameters", "Paramètres invalides.", "Invalid parameters.", details=params.errors)
    return dict(params.validated_data)


def paged_response(request, queryset, params: dict, as_dict) -> Response:
    limit, offset = params["limit"], params["offset"]
    results = [as_dict(item) for item in queryset[offset:offset + limit]]
    return Response({**page_links(request, count=queryset.count(), limit=limit, offset=offset), "results": results})


def versioned_response(kind: str, record, body: dict, status: int = 200) -> Response:
    response = Response(body, status=status)
    response["ETag"] = etag(kind, record.pk, record.version)
    return response


def found_or_404(queryset, pk: int, code: str, what_fr: str, what_en: str):
    """The record if the caller may see it; 404 otherwise (its existence is not revealed)."""
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise NotFound(code, f"{what_fr} introuvable.", f"{what_en} not found.")
    return record


class NoteInput(StrictSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
