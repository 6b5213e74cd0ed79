"""Boundary layers and area tiles, rendered once per version of an edition and then served as stored bytes.

They change only when a load changes the edition (its services then draw a new Edition.layers_token), yet
building them in PostGIS costs milliseconds per request. So the first request renders a layer, compresses it (gzip,
brotli) and stores it in RenderedLayer under the edition's current layers token; every later request, in any worker,
reads the stored bytes, and each worker keeps the layers it served last in memory. A layer stored under an older
token is never served: its key names the token, which every request reads with the edition.
"""
import gzip
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import brotli
from django.db import IntegrityError, connection, transaction

from .models import Edition, RenderedLayer, new_layers_token
from .selectors import edition_resolve

# Layers a worker keeps in memory (a cercles layer is ~0.5 MB uncompressed, a tile a few KB).
MEMORY_LAYERS = 256
GZIP_LEVEL = 9
BROTLI_QUALITY = 11  # paid once per edition version, then every phone downloads fewer bytes
# How long a worker trusts the edition row (and so its layers token) it read: after a load, other workers serve
# the previous layers for at most this long. One query a second instead of one per request.
EDITION_TRUSTED_SECONDS = 1.0


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
_editions: dict[str | None, tuple[float, Edition]] = {}


def layers_edition(slug: str | None) -> Edition:
    """The edition named by slug (or the default one) as edition_resolve finds it, read again at most once per
    EDITION_TRUSTED_SECONDS by this worker. Inside a transaction it is always read: the transaction may change it
    and roll back, and a remembered token must be one that committed."""
    if connection.in_atomic_block:
        return edition_resolve(slug)
    now = time.monotonic()
    trusted = _editions.get(slug)
    if trusted is not None and now - trusted[0] < EDITION_TRUSTED_SECONDS:
        return trusted[1]
    edition = edition_resolve(slug)
    _editions[slug] = (now, edition)
    return edition


def _remember(key: tuple, layer: StoredLayer) -> StoredLayer:
    with _memory_lock:
        _memory[key] = layer
        _memory.move_to_end(key)
        while len(_memory) > MEMORY_LAYERS:
            _memory.popitem(last=False)
    return layer


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
    with _memory_lock:
        layer = _memory.get(key)
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
    rendered again on their next request. The new token reaches every worker through the edition row."""
    _editions.clear()  # this worker sees the new token at once
    edition.layers_token = new_layers_token()
    Edition.objects.filter(pk=edition.pk).update(layers_token=edition.layers_token)
    RenderedLayer.objects.filter(edition=edition).delete()

