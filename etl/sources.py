"""The manifest of reference-data sources, and fetching files with checksum checks.

The reference files ship with the project, xz-compressed beside the manifest (data/regions/).
A local mirror of uncompressed files (BOUNDARY_MIRROR) or a download address can supply
another copy. Whatever the origin, the sha256 of the file must match the manifest, so that
what is loaded is exactly what was reviewed.
"""

import hashlib
import json
import lzma
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from pathlib import Path, PurePosixPath

from etl.errors import EtlError

_REQUIRED_SOURCE_KEYS = ("id", "kind", "file", "sha256")


def load_manifest(path: str | Path) -> dict:
    """Read and check the sources manifest (JSON with "editions" and "sources").

    Every source must have ``id``, ``kind``, ``file`` and ``sha256``; ``file`` must be
    a plain relative name. Raises EtlError ``file_unreadable`` or ``manifest_invalid``.
    """
    path = Path(path)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EtlError(
            "file_unreadable",
            f"Impossible de lire le manifeste {path} : {exc}",
            f"Cannot read the manifest {path}: {exc}",
        ) from exc
    if (
        not isinstance(manifest, dict)
        or not isinstance(manifest.get("editions"), list)
        or not isinstance(manifest.get("sources"), list)
    ):
        raise EtlError(
            "manifest_invalid",
            f"Le manifeste {path} doit contenir les listes « editions » et « sources ».",
            f"The manifest {path} must contain the lists 'editions' and 'sources'.",
        )
    seen: set[str] = set()
    for position, source in enumerate(manifest["sources"], start=1):
        if not isinstance(source, dict):
            raise EtlError(
                "manifest_invalid",
                f"La source n° {position} du manifeste n'est pas un objet.",
                f"Source number {position} in the manifest is not an object.",
            )
        missing = [key for key in _REQUIRED_SOURCE_KEYS if not source.get(key)]
        if missing:
            label = source.get("id") or f"n° {position}"
            raise EtlError(
                "manifest_invalid",
                f"La source {label} du manifeste n'a pas : {', '.join(missing)}.",
                f"Source {label} in the manifest lacks: {', '.join(missing)}.",
            )
        # File names are joined to the mirror, bundle and cache folders: they must stay inside them.
        for key in ("file", "bundled"):
            name = source.get(key)
            if name is None:
                continue
            file = PurePosixPath(str(name))
            if file.is_absolute() or ".." in file.parts or "\\" in str(name):
                raise EtlError(
                    "manifest_invalid",
                    f"Le fichier de la source {source['id']} doit être un nom relatif simple : {name}",
                    f"The file of source {source['id']} must be a plain relative name: {name}",
                )
        if source["id"] in seen:
            raise EtlError(
                "manifest_invalid",
                f"L'identifiant de source {source['id']} apparaît deux fois dans le manifeste.",
                f"The source id {source['id']} appears twice in the manifest.",
            )
        seen.add(source["id"])
    return manifest


def source_by_id(manifest: dict, source_id: str) -> dict:
    """Return the source with this id. Raises EtlError ``not_in_manifest``."""
    for source in manifest.get("sources", []):
        if source.get("id") == source_id:
            return source
    known = ", ".join(str(source.get("id")) for source in manifest.get("sources", []))
    raise EtlError(
        "not_in_manifest",
        f"La source « {source_id} » n'est pas dans le manifeste (sources connues : {known}).",
        f"The source '{source_id}' is not in the manifest (known sources: {known}).",
    )


def sha256_of(path: str | Path) -> str:
    """Return the hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _checksum_error(file: str, where: str, expected: str, actual: str) -> EtlError:
    return EtlError(
        "checksum_mismatch",
        f"Le fichier {file} ({where}) n'a pas la somme sha256 attendue : attendue {expected}, obtenue {actual}. "
        "Le fichier a changé depuis sa vérification ; mettez à jour la source ou le manifeste.",
        f"The file {file} ({where}) does not have the expected sha256: expected {expected}, got {actual}. "
        "The file changed since it was reviewed; update the source or the manifest.",
    )


def _unpack_bundled(packed: Path, cached: Path, expected: str) -> Path:
    """Decompress a committed .xz copy into the cache; the result must have the manifest's sha256."""
    cached.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=cached.parent, prefix=f".{cached.name}.", suffix=".part")
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out, lzma.open(packed) as source:
            shutil.copyfileobj(source, out, 1 << 20)
    except (lzma.LZMAError, OSError, EOFError) as exc:
        temp.unlink(missing_ok=True)
        raise EtlError(
            "file_unreadable",
            f"La copie compressée {packed.name} est illisible : {exc}",
            f"The compressed copy {packed.name} cannot be read: {exc}",
        ) from exc
    actual = sha256_of(temp)
    if actual != expected:
        temp.unlink(missing_ok=True)
        raise _checksum_error(cached.name, str(packed), expected, actual)
    os.replace(temp, cached)
    return cached


def fetch_source(
    source: dict,
    *,
    mirror_dir: str | Path | None,
    download_base_url: str | None,
    cache_dir: Path,
    bundled_dir: str | Path | None = None,
    timeout: float = 60,
) -> Path:
    """Return a local path to the source's file, with its sha256 checked.

    Order: the mirror folder if it has the file (a wrong checksum there is an error,
    not a reason to download); else the copy in ``cache_dir`` if its checksum is right;
    else the committed compressed copy (``bundled_dir / source["bundled"]``), unpacked into
    the cache; else a download from ``download_base_url + "/" + file`` or, failing that,
    from ``source["url"]``. Unpacked and downloaded files go to a temporary file that is
    renamed only once its checksum matches, so the cache never holds a partial or wrong file.

    Raises EtlError ``checksum_mismatch``, ``file_unreadable``, ``download_failed`` or
    ``no_source_address``.
    """
    file = source["file"]
    expected = source["sha256"].lower()

    if mirror_dir:
        mirrored = Path(mirror_dir) / file
        if mirrored.is_file():
            actual = sha256_of(mirrored)
            if actual != expected:
                raise _checksum_error(file, str(mirrored), expected, actual)
            return mirrored

    cache_dir = Path(cache_dir)
    cached = cache_dir / file
    if cached.is_file() and sha256_of(cached) == expected:
        return cached

    if bundled_dir and source.get("bundled"):
        packed = Path(bundled_dir) / source["bundled"]
        if packed.is_file():
            return _unpack_bundled(packed, cached, expected)

    if download_base_url:
        url = download_base_url.rstrip("/") + "/" + file
    elif source.get("url"):
        url = source["url"]
    else:
        raise EtlError(
            "no_source_address",
            f"Le fichier {file} n'est ni livré avec le projet, ni dans le miroir, ni téléchargeable : "
            "définissez BOUNDARY_MIRROR (dossier qui contient le fichier) ou BOUNDARY_DOWNLOAD_BASE_URL.",
            f"The file {file} is neither shipped with the project, nor in the mirror, nor downloadable: "
            "set BOUNDARY_MIRROR (a folder holding the file) or BOUNDARY_DOWNLOAD_BASE_URL.",
        )

    cached.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=cached.parent, prefix=f".{cached.name}.", suffix=".part")
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as response:
            shutil.copyfileobj(response, out)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        # HTTPError is a URLError; ValueError covers malformed URLs; OSError covers timeouts.
        temp.unlink(missing_ok=True)
        raise EtlError(
            "download_failed",
            f"Échec du téléchargement de {file} depuis {url} : {exc}",
            f"Downloading {file} from {url} failed: {exc}",
        ) from exc

    actual = sha256_of(temp)
    if actual != expected:
        temp.unlink(missing_ok=True)
        raise _checksum_error(file, url, expected, actual)
    os.replace(temp, cached)
    return cached
