"""What an upload is, read from its content: accepted types, hostile files refused before anything is stored."""
import pytest

from geo_backend.common.errors import DomainError
from geo_backend.library.uploads import inspect_upload, safe_file_name

from . import samples


@pytest.mark.parametrize(("name", "make", "kind", "content_type"), [
    ("rapport.pdf", lambda: samples.pdf_bytes("Rapport de l'atelier"), "pdf", "application/pdf"),
    ("affiche.png", samples.png_bytes, "image", "image/png"),
    ("photo.jpg", samples.jpeg_bytes, "image", "image/jpeg"),
    ("temoignage.wav", samples.wav_bytes, "audio", "audio/x-wav"),
    ("temoignage.mp3", lambda: samples.converted_audio("mp3"), "audio", "audio/mpeg"),
    ("temoignage.ogg", lambda: samples.converted_audio("ogg"), "audio", "audio/ogg"),
    ("temoignage.m4a", lambda: samples.converted_audio("m4a"), "audio", "audio/mp4"),
])
def test_each_accepted_type_is_recognised_from_its_content(name, make, kind, content_type):
    inspected = inspect_upload(samples.upload(name, make()))
    assert (inspected.kind, inspected.content_type) == (kind, content_type)
    assert inspected.storage_name.startswith("library/") and inspected.storage_name.endswith(inspected.safe_name)
    if kind == "audio":
        assert inspected.duration_seconds == pytest.approx(2.0, abs=0.15)
    else:
        assert inspected.duration_seconds is None


def test_the_name_does_not_decide_the_type():
    inspected = inspect_upload(samples.upload("image.mp3", samples.pdf_bytes("Un PDF renommé")))
    assert inspected.kind == "pdf" and inspected.safe_name == "image.pdf"


@pytest.mark.parametrize(("name", "make", "code"), [
    ("rapport.pdf", samples.executable_bytes, "unsupported_file_type"),
    ("rapport.pdf", samples.zip_bomb, "unsupported_file_type"),
    ("page.pdf", lambda: b"<html><script>alert(1)</script></html>", "unsupported_file_type"),
    ("affiche.png", samples.png_bomb, "image_too_large"),
    ("faux.pdf", lambda: b"%PDF-1.4\n garbage without any object", "pdf_unreadable"),
    ("vide.pdf", lambda: b"", "file_empty"),
])
def test_hostile_or_broken_files_are_refused(name, make, code):
    with pytest.raises(DomainError) as refused:
        inspect_upload(samples.upload(name, make()))
    assert refused.value.code == code
    assert 400 <= refused.value.status_code < 500


def test_an_oversize_file_is_refused_before_reading_it(settings):
    settings.LIBRARY_MAX_UPLOAD_BYTES = {"pdf": 1000, "image": 1000, "audio": 1000}
    with pytest.raises(DomainError) as refused:
        inspect_upload(samples.upload("gros.pdf", samples.pdf_bytes("x" * 2000)))
    assert refused.value.code == "file_too_large" and refused.value.status_code == 413


def test_a_pdf_with_javascript_is_flagged():
    assert inspect_upload(samples.upload("a.pdf", samples.pdf_bytes("x", javascript="app.alert(1)"))
                          ).has_active_content
    assert not inspect_upload(samples.upload("b.pdf", samples.pdf_bytes("x"))).has_active_content


@pytest.mark.parametrize(("original", "safe"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\windows\\system32\\rapport final.pdf", "rapport_final.pdf"),
    ("rapport<script>.exe", "rapportscript.pdf"),
    ("....pdf", "document.pdf"),
    ("Compte rendu – Ségou (2024).pdf", "Compte_rendu__Ségou_2024.pdf"),
])
def test_file_names_are_made_safe(original, safe):
    assert safe_file_name(original, "pdf") == safe
