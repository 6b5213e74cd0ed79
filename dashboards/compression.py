"""Compression of the dashboard's answers (Django's middleware and whitenoise never see them): brotli when the
browser accepts it, else gzip. Scripts and styles long-lived in the browser (Dash's component suites) are compressed
once per worker, at brotli's highest quality; answers that change (callbacks, geometries) at a fast level."""
import gzip
import threading

import brotli
import flask

COMPRESSIBLE = {"application/json", "text/html", "application/javascript", "text/javascript", "text/css",
                "application/geo+json"}
MIN_COMPRESS_BYTES = 1000
# The layout carries a CSRF token, but a masked one (django.middleware.csrf.get_token: a new random mask on every
# answer), which is what makes Django's own compressed pages safe from compression side channels (BREACH): so the
# layout is compressed like every other answer (it holds the first view: 13.5 KB, 2.9 KB with brotli).
# brotli's quality 11 takes about a second per 500 KB script: paid once per worker for the kept ones; quality 5
# compresses a callback's answer as fast as gzip -6 and some 15 % smaller.
LASTING_QUALITY, QUICK_QUALITY = 11, 5


def encoding_accepted(request: flask.Request) -> str | None:
    best = request.accept_encodings.best_match(["br", "gzip"])
    return best if best and request.accept_encodings[best] > 0 else None


def packed(body: bytes, encoding: str, *, lasting: bool) -> bytes:
    if encoding == "br":
        return brotli.compress(body, mode=brotli.MODE_TEXT, quality=LASTING_QUALITY if lasting else QUICK_QUALITY)
    return gzip.compress(body, compresslevel=9 if lasting else 6)


class Compressor:
    """An after_request hook: compresses text answers over 1 KB; the long-lived ones (a max-age of at least
    `lasting_max_age`) are kept compressed in memory, per address and encoding."""

    def __init__(self, lasting_max_age: int):
        self.lasting_max_age = lasting_max_age
        self.kept: dict[tuple[str, str], bytes] = {}
        self.lock = threading.Lock()

    def __call__(self, response: flask.Response) -> flask.Response:
        request = flask.request
        if (response.status_code != 200 or response.direct_passthrough or response.mimetype not in COMPRESSIBLE
                or "Content-Encoding" in response.headers):
            return response
        response.vary.add("Accept-Encoding")
        encoding = encoding_accepted(request)
        if encoding is None:
            return response
        body = response.get_data()
        if len(body) < MIN_COMPRESS_BYTES:
            return response
        lasting = (response.cache_control.max_age or 0) >= self.lasting_max_age
        key = (request.full_path, encoding)
        with self.lock:
            found = self.kept.get(key) if lasting else None
        if found is None:
            found = packed(body, encoding, lasting=lasting)
            if lasting:
                with self.lock:
                    self.kept[key] = found
        response.set_data(found)
        response.headers["Content-Encoding"] = encoding
        response.headers["Content-Length"] = str(len(found))
        return response
