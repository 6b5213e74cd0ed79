"""Boundary layers and area tiles, rendered once per version of an edition and then served as stored bytes.

They change only when a load changes the edition (its services then draw a new Edition.layers_token), yet
building them in PostGIS costs milliseconds per request. So the first request renders a layer, compresses it (gzip,
brotli) and stores it in RenderedLayer under the edition's current layers token; every later request, in any worker,
reads the stored bytes, and each worker keeps the layers it served last in memory, keyed by the edition and its
token. A layer stored under an older token is never served: its key names the token.

The Django view reads the edition (and so its token) from the database on every request; the site's own layers of
the default edition are then answered from this memory before Django (layer_middleware), which learns the default
edition's current token from a file rather than the database (layer_pointer).
"""
import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import brotli
from django.db import IntegrityError, transaction

from .layer_pointer import pointer_invalidate
from .models import Edition, RenderedLayer, new_layers_token

# Layers a worker keeps in memory (a cercles layer is ~0.5 MB uncompressed, a tile a few KB).
MEMORY_LAYERS = 256
GZIP_LEVEL = 9
BROTLI_QUALITY = 11  # paid once per edition version, then every phone downloads fewer bytes


@dataclass(frozen=True)
class StoredLayer:
    content_type: str
    etag: str
    identity: bytes
    gzip: bytes
    brotli: bytes

    def encoded(self, accept_encoding: str) -> tuple[bytes, str | None]:
        """The smallest encoding the client accepts: (body, Content-Encoding or None)."""
        accepted = {part.split(";")[0].strip().lower() for part in accept_encoding.split(",")}
        if "br" in accepted:
            return self.brotli, "br"
        if "gzip" in accepted:
            return self.gzip, "gzip"
        return self.identity, None


_memory: OrderedDict[tuple, StoredLayer] = OrderedDict()
_memory_lock = threading.Lock()


def areas_parameters(*, level: int | None, parent: str | None, geometry: str) -> str:
    """The canonical key of an areas layer (also the fast path's, layer_middleware)."""
    return f"level={'' if level is None else level}&parent={(parent or '').upper()}&geometry={geometry}"


def tile_parameters(*, z: int, x: int, y: int, level: int | None) -> str:
    return f"{z}/{x}/{y}&level={'' if level is None else level}"


def remembered_layer(edition_id: int, layers_token: str, kind: str, parameters: str) -> StoredLayer | None:
    """The layer this worker keeps in memory for that version of the edition, if any (no database work)."""
    key = (edition_id, layers_token, kind, parameters)
    with _memory_lock:
        layer = _memory.get(key)
        if layer is not None:
            _memory.move_to_end(key)  # the least recently served go first
        return layer


def _remember(key: tuple, layer: StoredLayer) -> StoredLayer:
    # Only what committed: inside a transaction the bytes may come from units or a token that roll back.
    transaction.on_commit(lambda: _keep(key, layer))
    return layer


def _keep(key: tuple, layer: StoredLayer) -> None:
    with _memory_lock:
        _memory[key] = layer
        _memory.move_to_end(key)
        while len(_memory) > MEMORY_LAYERS:
            _memory.popitem(last=False)


def _from_row(row: RenderedLayer) -> StoredLayer:
    return StoredLayer(row.content_type, row.etag, bytes(row.identity), bytes(row.gzip), bytes(row.brotli))


def _render(content_type: str, body: bytes) -> StoredLayer:
    # mtime=0: the same layer compresses to the same bytes in every worker.
    return StoredLayer(content_type=content_type, etag=f'"{hashlib.sha256(body).hexdigest()[:32]}"', identity=body,
                       gzip=gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0),
                       brotli=brotli.compress(body, quality=BROTLI_QUALITY))


def rendered_layer(*, edition: Edition, kind: str, parameters: str, content_type: str,
                   render: Callable[[], bytes]) -> StoredLayer:
    """The layer (kind, parameters) of the edition's current boundaries: from memory, else from the store, else
    rendered by render() and stored (a concurrent first request that stored it first wins; both bodies are equal)."""
    key = (edition.pk, edition.layers_token, kind, parameters)
    layer = remembered_layer(*key)
    if layer is not None:
        return layer
    row = RenderedLayer.objects.filter(edition=edition, layers_token=edition.layers_token, kind=kind,
                                       parameters=parameters).first()
    if row is not None:
        return _remember(key, _from_row(row))
    layer = _render(content_type, render())
    try:
        with transaction.atomic():
            RenderedLayer.objects.create(edition=edition, layers_token=edition.layers_token, kind=kind,
                                         parameters=parameters, content_type=content_type, etag=layer.etag,
                                         identity=layer.identity, gzip=layer.gzip, brotli=layer.brotli)
    except IntegrityError:
        pass  # stored meanwhile by another request: the same bytes
    return _remember(key, layer)


def rendered_layers_invalidate(edition: Edition) -> None:
    """Called by the loaders' services when a load changed the edition's units or population: its layers are
    rendered again on their next request. The new token reaches every worker through the edition row, and the fast
    path through the pointer, which is written again once the load has committed."""
    pointer_invalidate()
    edition.layers_token = new_layers_token()
    Edition.objects.filter(pk=edition.pk).update(layers_token=edition.layers_token)
    RenderedLayer.objects.filter(edition=edition).delete()
