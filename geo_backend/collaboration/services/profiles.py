"""An organisation's profile edited in the site: fields and contacts through the organisations app's service
(organisation_update, which checks the editor and the version), plus the logo, checked here before it is stored."""
import uuid

from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from geo_backend.common.errors import DomainError
from geo_backend.organisations import services as organisation_services
from geo_backend.organisations.access import Audience, require_organisation_editor
from geo_backend.organisations.models import Organisation

LOGO_MAX_BYTES = 1_000_000
LOGO_MAX_PIXELS = 4000
# Raster formats only: an SVG can carry scripts.
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


def logo_checked(upload) -> str:
    """The file extension of an acceptable logo (PNG, JPEG or WebP, at most 1 MB and 4000 px a side), judged on
    the file's content, not its name; raises DomainError otherwise."""
    if upload.size > LOGO_MAX_BYTES:
        raise DomainError("logo_too_large", "Logo trop lourd : 1 Mo au plus.", "Logo too large: 1 MB at most.")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise DomainError("logo_not_an_image", "Le logo doit être une image PNG, JPEG ou WebP.",
                          "The logo must be a PNG, JPEG or WebP image.") from None
    finally:
        upload.seek(0)
    if kind not in LOGO_FORMATS:
        raise DomainError("logo_not_an_image", "Le logo doit être une image PNG, JPEG ou WebP.",
                          "The logo must be a PNG, JPEG or WebP image.")
    if width > LOGO_MAX_PIXELS or height > LOGO_MAX_PIXELS:
        raise DomainError("logo_too_large", "Logo trop grand : 4000 pixels de côté au plus.",
                          "Logo too large: 4000 pixels a side at most.")
    return LOGO_FORMATS[kind]


@transaction.atomic
def organisation_profile_save(*, audience: Audience, organisation: Organisation, expected_version: int, fields: dict,
                              contacts: list[dict] | None = None, logo=None) -> Organisation:
    """Saves the profile (and its contacts, each with its visibility) if nobody saved since expected_version; a new
    logo is checked, stored under a fresh name, and removed again if the save is refused."""
    require_organisation_editor(audience, organisation.id)
    stored = None
    if logo is not None:
        extension = logo_checked(logo)
        stored = default_storage.save(f"logos/{organisation.slug}-{uuid.uuid4().hex[:12]}.{extension}", logo)
        fields = {**fields, "logo": stored}
        transaction.on_commit(lambda old=organisation.logo.name: _remove(old), robust=True)
    try:
        return organisation_services.organisation_update(audience=audience, organisation=organisation,
                                                         expected_version=expected_version, fields=fields,
                                                         contacts=contacts)
    except Exception:
        if stored:
            _remove(stored)
        raise


def _remove(name: str) -> None:
    if name and default_storage.exists(name):
        default_storage.delete(name)
