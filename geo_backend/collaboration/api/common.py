"""What the collaboration endpoints share: paging, versioned responses, lookups. (Query parameters are declared
per view as a query_serializer and checked by the API's one input layer, geo_backend/api/query.py.)"""
from rest_framework import serializers
from rest_framework.response import Response

from geo_backend.api.helpers import StrictSerializer, etag, page_links
from geo_backend.common.errors import NotFound


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
