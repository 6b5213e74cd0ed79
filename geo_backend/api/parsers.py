"""JSON request bodies with a depth limit.

Python's json module recurses once per nesting level: a body nested 100,000 levels deep raised RecursionError (a
500), and one nested a few hundred levels passed the parser only to exhaust the stack in the code that walks it.
The deepest body the API accepts is a zone geometry (body > Feature > geometry > MultiPolygon coordinates:
polygon > ring > position, 7 levels), so anything beyond MAX_JSON_DEPTH is refused with a 400 (`json_too_deep`).
"""
from rest_framework.parsers import JSONParser

from geo_backend.common.errors import DomainError

MAX_JSON_DEPTH = 32


def json_depth_exceeds(value, limit: int) -> bool:
    """Whether value (parsed JSON) nests lists/objects deeper than limit; iterative, so any depth is safe."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def too_deep(limit: int) -> DomainError:
    return DomainError("json_too_deep", f"Document JSON trop imbriqué (plus de {limit} niveaux).",
                       f"JSON document nested too deeply (more than {limit} levels).", details={"max_depth": limit})


class DepthLimitedJSONParser(JSONParser):
    max_depth = MAX_JSON_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep(self.max_depth) from None
        if isinstance(data, dict | list) and json_depth_exceeds(data, self.max_depth):
            raise too_deep(self.max_depth)
        return data
