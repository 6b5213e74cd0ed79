"""The base of every API view: declared, checked input before the view runs, and the schema that documents it."""
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.views import APIView

from .parsers import DepthLimitedJSONParser
from .query import QueryParameters, WriteParameters, validated_query
from .schema import ApiAutoSchema

PARSERS = [DepthLimitedJSONParser, FormParser, MultiPartParser]


class ApiView(APIView):
    """An APIView whose GET query parameters are those of `query_serializer` (none by default) and whose free-text
    path values are those of `path_serializer`, both checked after authentication and before the handler.

    The handler reads them from self.params and self.path_params. The schema lists the same parameters.
    """

    query_serializer: type[QueryParameters] = QueryParameters
    path_serializer: type[QueryParameters] | None = None
    parser_classes = PARSERS
    schema = ApiAutoSchema()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.path_params = validated_query(self.path_serializer, kwargs) if self.path_serializer else {}
        self.params = {}
        if request.method in ("GET", "HEAD") and hasattr(self, "get"):  # else 405, not a parameter error
            self.params = validated_query(self.query_serializer, request.query_params)
        elif request.method != "OPTIONS" and hasattr(self, request.method.lower()):
            # Writes take none but `version` (said here: the docstring above is the API docs text of many views).
            validated_query(WriteParameters, request.query_params)
