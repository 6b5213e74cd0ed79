"""Small pieces the library's views share."""
from django.http import QueryDict
from rest_framework.response import Response

from geo_backend.api.helpers import audience, etag
from geo_backend.common.errors import DomainError, NotFound


def visible_or_404(request, queryset_for, pk: int, code: str, what_fr: str, what_en: str):
    """The record if the caller may see it; 404 otherwise (its existence is not revealed)."""
    found = queryset_for(audience(request)).filter(pk=pk).first()
    if found is None:
        raise NotFound(code, f"{what_fr} introuvable.", f"{what_en} not found.")
    return found


def answer(data: dict, record, status: int = 200) -> Response:
    response = Response(data, status=status)
    response["ETag"] = etag(record._meta.model_name, record.pk, record.version)
    return response


def plain_data(request, *, drop=("version",)) -> dict:
    """The request body as a plain dict (lists kept for repeated multipart fields), without `version`."""
    data = request.data
    if isinstance(data, QueryDict):
        plain = {}
        for key in data:
            values = data.getlist(key)
            plain[key] = values if len(values) > 1 or key in LIST_FIELDS else values[0]
    elif isinstance(data, dict):
        plain = dict(data)
    else:  # a JSON list, string or number: no fields to read
        raise DomainError("invalid", "Le corps de la requête doit être un objet JSON.",
                          "The request body must be a JSON object.")
    for key in drop:
        plain.pop(key, None)
    return plain


# Fields that are lists even when a form sends one value.
LIST_FIELDS = {"themes", "places", "co_publishers", "participants", "documents", "co_organisers",
               "recommendations"}
