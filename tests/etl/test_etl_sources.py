import hashlib
import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from etl.errors import EtlError
from etl.sources import fetch_source, load_manifest, sha256_of, source_by_id

CONTENT = b'{"type":"FeatureCollection","features":[]}\n'
SHA = hashlib.sha256(CONTENT).hexdigest()
MANIFEST = Path(__file__).resolve().parents[2] / "data" / "regions" / "manifest.json"


class _Handler(SimpleHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's naming)
        type(self).requests.append(self.path)
        super().do_GET()

    def log_message(self, format, *args):  # keep the test output quiet
        pass


@pytest.fixture
def server(tmp_path):
    """A loopback HTTP server on a free port serving tmp_path/served; yields (base_url, requests)."""
    served = tmp_path / "served"
    served.mkdir()
    (served / "layer.geojson").write_bytes(CONTENT)
    handler = type("Handler", (_Handler,), {"requests": []})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(served)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", handler.requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def _source(sha=SHA, url=None):
    return {"id": "layer", "kind": "boundaries", "file": "layer.geojson", "sha256": sha, "url": url}


def test_load_manifest_and_source_by_id():
    manifest = load_manifest(MANIFEST)
    assert source_by_id(manifest, "admin3")["file"] == "admin3_communes.geojson"
    with pytest.raises(EtlError) as info:
        source_by_id(manifest, "admin9")
    assert info.value.code == "not_in_manifest"
    assert "admin3" in info.value.message_en


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ("not json", "file_unreadable"),
        ({"sources": []}, "manifest_invalid"),
        ({"editions": [], "sources": [{"id": "a", "kind": "k", "file": "f"}]}, "manifest_invalid"),
        ({"editions": [], "sources": [{"id": "a", "kind": "k", "file": "../f", "sha256": "x"}]}, "manifest_invalid"),
    ],
)
def test_load_manifest_rejects_bad_manifests(tmp_path, content, code):
    path = tmp_path / "manifest.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    with pytest.raises(EtlError) as info:
        load_manifest(path)
    assert info.value.code == code


def test_sha256_of(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(CONTENT)
    assert sha256_of(path) == SHA


def test_download_into_cache(tmp_path, server):
    base_url, requests = server
    cache = tmp_path / "cache"
    path = fetch_source(_source(), mirror_dir=None, download_base_url=base_url, cache_dir=cache)
    assert path == cache / "layer.geojson"
    assert path.read_bytes() == CONTENT
    assert requests == ["/layer.geojson"]
    assert sorted(p.name for p in cache.iterdir()) == ["layer.geojson"]  # no temporary file left


def test_download_from_source_url(tmp_path, server):
    base_url, _ = server
    path = fetch_source(
        _source(url=base_url + "layer.geojson"), mirror_dir=None, download_base_url=None, cache_dir=tmp_path / "c"
    )
    assert path.read_bytes() == CONTENT


def test_checksum_mismatch_leaves_nothing_in_cache(tmp_path, server):
    base_url, _ = server
    cache = tmp_path / "cache"
    with pytest.raises(EtlError) as info:
        fetch_source(_source(sha="0" * 64), mirror_dir=None, download_base_url=base_url, cache_dir=cache)
    assert info.value.code == "checksum_mismatch"
    assert "0" * 64 in info.value.message_en and SHA in info.value.message_en
    assert list(cache.iterdir()) == []


def test_http_404_is_download_failed(tmp_path, server):
    base_url, _ = server
    source = {**_source(), "file": "missing.geojson"}
    cache = tmp_path / "cache"
    with pytest.raises(EtlError) as info:
        fetch_source(source, mirror_dir=None, download_base_url=base_url, cache_dir=cache)
    assert info.value.code == "download_failed"
    assert "404" in info.value.message_en
    assert list(cache.iterdir()) == []


def test_unreachable_server_is_download_failed(tmp_path):
    with pytest.raises(EtlError) as info:
        fetch_source(_source(), mirror_dir=None, download_base_url="http://127.0.0.1:9/", cache_dir=tmp_path, timeout=5)
    assert info.value.code == "download_failed"


def test_no_address_names_the_settings(tmp_path):
    with pytest.raises(EtlError) as info:
        fetch_source(_source(), mirror_dir=tmp_path / "empty", download_base_url=None, cache_dir=tmp_path / "c")
    assert info.value.code == "no_source_address"
    assert "BOUNDARY_MIRROR" in info.value.message_en and "BOUNDARY_DOWNLOAD_BASE_URL" in info.value.message_fr


def test_mirror_hit_uses_no_network(tmp_path, server):
    base_url, requests = server
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "layer.geojson").write_bytes(CONTENT)
    path = fetch_source(_source(), mirror_dir=str(mirror), download_base_url=base_url, cache_dir=tmp_path / "c")
    assert path == mirror / "layer.geojson"
    assert requests == []


def test_mirror_with_wrong_checksum_is_an_error(tmp_path, server):
    base_url, requests = server
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "layer.geojson").write_bytes(b"changed")
    with pytest.raises(EtlError) as info:
        fetch_source(_source(), mirror_dir=mirror, download_base_url=base_url, cache_dir=tmp_path / "c")
    assert info.value.code == "checksum_mismatch"
    assert requests == []


def test_cached_file_is_reused(tmp_path, server):
    base_url, requests = server
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "layer.geojson").write_bytes(CONTENT)
    path = fetch_source(_source(), mirror_dir=None, download_base_url=base_url, cache_dir=cache)
    assert path == cache / "layer.geojson"
    assert requests == []


def test_stale_cached_file_is_downloaded_again(tmp_path, server):
    base_url, requests = server
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "layer.geojson").write_bytes(b"old")
    path = fetch_source(_source(), mirror_dir=None, download_base_url=base_url.rstrip("/"), cache_dir=cache)
    assert path.read_bytes() == CONTENT
    assert requests == ["/layer.geojson"]
