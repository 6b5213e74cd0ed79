"""What the OpenAPI schema says beyond drf-spectacular's defaults: each view's declared query parameters, and the
one error shape with the statuses an operation can answer, so a client generator or a schema-driven tester
(tests/api/test_fuzz_schema.py) can rely on it."""
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from .query import MAX_ID

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ErrorMessageSerializer(serializers.Serializer):
    fr = serializers.CharField()
    en = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    """Every API error: a stable machine code, the same message in French and English, and details when useful
    (per field or parameter, the accepted parameters, the current record of a stale update…)."""

    code = serializers.CharField()
    message = ErrorMessageSerializer()
    details = serializers.JSONField(required=False)

    class Meta:
        ref_name = "Error"


def errors(*statuses: int) -> dict:
    """Extra error responses for extend_schema(responses={...}), for statuses the defaults do not cover."""
    return {status: ErrorSerializer for status in statuses}


def default_error_statuses(method: str, path: str) -> set[int]:
    """Statuses any operation of this kind may answer with the error shape.

    400: bad parameters or body; 401: a bad token (on any operation) or a write without signing in; 403, 413
    (body too large) and 429 (too many requests: every write is rate-limited, api/throttles.py) on writes; 404 when
    the path names a record; 412 / 428 (stale or missing version) when a write changes a named record.
    """
    statuses = {400, 401}
    names_record = "{" in path
    if method not in SAFE_METHODS:
        statuses |= {403, 413, 429}
    if names_record:
        statuses.add(404)
    if method not in SAFE_METHODS and names_record:
        statuses |= {412, 428}
    return statuses


class ApiAutoSchema(AutoSchema):
    """Adds a view's `query_serializer` as the query parameters of its GET, and the error responses."""

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        query = getattr(self.view, "query_serializer", None)
        if self.method in ("GET", "HEAD") and query is not None and query().fields:
            parameters.insert(0, query)
        return parameters

    def _resolve_path_parameters(self, variables):
        """Path values as the URL patterns and the view accept them: ids from 1 (tile numbers from 0) up to a
        bigint; free-text values (a P-code) as the view's path_serializer declares them."""
        parameters = super()._resolve_path_parameters(variables)
        declared = getattr(self.view, "path_serializer", None)
        fields = declared().fields if declared else {}
        for parameter in parameters:
            name = parameter["name"]
            if name in fields:
                parameter["schema"] = self._map_serializer_field(fields[name], "request")
                self._insert_field_validators(fields[name], parameter["schema"])
            elif parameter["schema"].get("type") == "integer":
                parameter["schema"] = {**parameter["schema"], "minimum": 1 if name in ("id", "pk") else 0,
                                       "maximum": MAX_ID}
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status in sorted(default_error_statuses(self.method, self.path)):
            if str(status) not in responses:
                responses[str(status)] = self._get_response_for_code(ErrorSerializer, str(status),
                                                                     ["application/json"], direction)
        return responses
