"""Documents through the API: each accepted type uploads, hostile uploads leave nothing behind, files are served
as downloads with safe headers and in ranges, and the queue makes thumbnails and compact audio."""
import pytest

from geo_backend.library.models import Document, DocumentFile
from tests import factories

from . import samples
from .conftest import stored_files
from .jobs import jobs, run_jobs

pytestmark = pytest.mark.django_db


def post_document(client, org, name, content, **extra):
    body = {"organisation": org.id, "title": extra.pop("title", "Rapport de l'atelier (exemple fictif)"),
            "kind": extra.pop("kind", "rapport"), "file": samples.upload(name, content), **extra}
    return client.post("/api/v1/documents/", body, format="multipart")


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(("name", "make", "kind"), [
    ("rapport.pdf", lambda: samples.pdf_bytes("Rapport"), "pdf"),
    ("affiche.png", samples.png_bytes, "image"),
    ("photo.jpg", samples.jpeg_bytes, "image"),
    ("temoignage.mp3", lambda: samples.converted_audio("mp3"), "audio"),
    ("temoignage.ogg", lambda: samples.converted_audio("ogg"), "audio"),
    ("temoignage.m4a", lambda: samples.converted_audio("m4a"), "audio"),
    ("temoignage.wav", samples.wav_bytes, "audio"),
])
def test_upload_of_each_accepted_type(editor, org, media_root, name, make, kind):
    content = make()
    response = post_document(factories.api_client(editor), org, name, content)
    assert response.status_code == 201, response.content
    files = response.json()["files"]
    assert [(f["kind"], f["size_bytes"], f["name"]) for f in files] == [(kind, len(content), name)]
    assert len(stored_files(media_root)) == 1
    served = factories.api_client(editor).get(files[0]["url"])
    assert served.status_code == 200 and body_of(served) == content


def test_an_audio_testimony_gets_its_duration_now_and_a_compact_copy_from_the_worker(editor, org, media_root):
    response = post_document(factories.api_client(editor), org, "temoignage.wav", samples.wav_bytes(3.0),
                             kind="temoignage-audio", transcript="Nous demandons l'application du quota.")
    assert response.status_code == 201, response.content
    audio = response.json()["files"][0]
    assert audio["duration_seconds"] == pytest.approx(3.0, abs=0.1)
    assert audio["processing"] == "pending" and audio["compact_url"] is None
    assert len(jobs("todo")) == 1
    run_jobs()
    document_file = DocumentFile.objects.get(pk=audio["id"])
    assert document_file.processing == "done"
    compact = factories.api_client(editor).get(f"/fichiers/{audio['id']}/compact/")
    data = body_of(compact)
    assert compact.status_code == 200 and data[:4] == b"OggS" and b"OpusHead" in data[:100]
    assert document_file.compact_size_bytes == len(data) < audio["size_bytes"] / 3
    assert jobs("succeeded") and not jobs("todo")


def test_a_pdf_gets_its_text_and_a_first_page_thumbnail_from_the_worker(editor, org):
    response = post_document(factories.api_client(editor), org, "note.pdf",
                             samples.pdf_bytes("Note sur la parité dans les conseils communaux"))
    file_id = response.json()["files"][0]["id"]
    run_jobs()
    document_file = DocumentFile.objects.get(pk=file_id)
    assert "parité" in document_file.extracted_text and document_file.page_count == 1
    thumbnail = factories.api_client().get(f"/fichiers/{file_id}/thumbnail/")
    assert thumbnail.status_code == 200 and body_of(thumbnail)[:8] == b"\x89PNG\r\n\x1a\n"
    assert thumbnail["Content-Type"] == "image/png"


def test_a_failed_job_is_kept_retried_and_shown_on_the_file(editor, org, media_root):
    response = post_document(factories.api_client(editor), org, "note.pdf", samples.pdf_bytes("Texte"))
    file_id = response.json()["files"][0]["id"]
    stored = DocumentFile.objects.get(pk=file_id).original.path
    with open(stored, "wb") as broken:  # the stored file was damaged on disk after the upload
        broken.write(b"%PDF-1.4 damaged")
    run_jobs()
    document_file = DocumentFile.objects.get(pk=file_id)
    assert document_file.processing == "failed" and document_file.processing_error
    waiting = jobs("todo")  # scheduled again, a few seconds later
    assert len(waiting) == 1 and waiting[0].attempts == 1 and waiting[0].scheduled_at is not None


@pytest.mark.parametrize(("name", "make", "code"), [
    ("rapport.pdf", samples.executable_bytes, "unsupported_file_type"),
    ("rapport.pdf", samples.zip_bomb, "unsupported_file_type"),
    ("affiche.png", samples.png_bomb, "image_too_large"),
])
def test_a_refused_upload_leaves_no_file_no_row_and_no_job(editor, org, media_root, name, make, code):
    response = post_document(factories.api_client(editor), org, name, make())
    assert 400 <= response.status_code < 500
    assert response.json()["code"] == code and set(response.json()["message"]) == {"fr", "en"}
    assert not Document.objects.exists() and not DocumentFile.objects.exists() and not jobs()
    assert stored_files(media_root) == []


def test_an_oversize_upload_is_refused_with_413(editor, org, media_root, settings):
    settings.LIBRARY_MAX_UPLOAD_BYTES = {"pdf": 2000, "image": 2000, "audio": 2000}
    response = post_document(factories.api_client(editor), org, "gros.pdf", samples.pdf_bytes("x" * 4000))
    assert response.status_code == 413 and response.json()["code"] == "file_too_large"
    assert not Document.objects.exists() and stored_files(media_root) == []


def test_a_failure_after_the_file_was_stored_removes_it(editor, org, media_root, monkeypatch):
    from geo_backend.library.services import documents

    def broken_refresh(document_id):
        raise RuntimeError("database went away")

    monkeypatch.setattr(documents, "document_search_refresh", broken_refresh)
    with pytest.raises(RuntimeError):
        documents.document_create(audience=factories.audience_for(editor), organisation=org,
                                  fields={"title": "T", "kind": "rapport"}, relations={},
                                  uploads=[documents.Upload(samples.upload("a.pdf", samples.pdf_bytes("x")))])
    assert stored_files(media_root) == [] and not Document.objects.exists()


def test_a_path_traversal_name_is_neutralised(editor, org, media_root):
    response = post_document(factories.api_client(editor), org, "../../../etc/cron.d/rapport.pdf",
                             samples.pdf_bytes("x"))
    assert response.status_code == 201
    assert response.json()["files"][0]["name"] == "rapport.pdf"
    [stored] = stored_files(media_root)
    assert stored.is_relative_to(media_root / "library") and stored.name.endswith("-rapport.pdf")


def test_a_pdf_with_javascript_is_only_ever_a_download(editor, org):
    response = post_document(factories.api_client(editor), org, "piege.pdf",
                             samples.pdf_bytes("x", javascript="app.alert('owned')"))
    served = factories.api_client().get(response.json()["files"][0]["url"])
    assert served.status_code == 200
    assert served["Content-Type"] == "application/octet-stream"
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["X-Content-Type-Options"] == "nosniff" and served["Content-Security-Policy"] == "sandbox"


def test_a_plain_pdf_is_served_as_an_attachment_with_its_type(editor, org):
    response = post_document(factories.api_client(editor), org, "note.pdf", samples.pdf_bytes("x"))
    served = factories.api_client().get(response.json()["files"][0]["url"])
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"] == 'attachment; filename="note.pdf"'
    assert served["X-Content-Type-Options"] == "nosniff" and served["Content-Security-Policy"] == "sandbox"


def test_audio_is_served_in_ranges(editor, org):
    content = samples.wav_bytes(1.0)
    response = post_document(factories.api_client(editor), org, "t.wav", content, kind="temoignage-audio")
    url = response.json()["files"][0]["url"]
    client = factories.api_client()
    part = client.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206 and body_of(part) == content[100:200]
    assert part["Content-Range"] == f"bytes 100-199/{len(content)}" and part["Content-Length"] == "100"
    assert part["Accept-Ranges"] == "bytes" and "Content-Encoding" not in part
    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert tail.status_code == 206 and body_of(tail) == content[-10:]
    open_ended = client.get(url, HTTP_RANGE=f"bytes={len(content) - 5}-", HTTP_ACCEPT_ENCODING="gzip")
    assert body_of(open_ended) == content[-5:] and "Content-Encoding" not in open_ended
    outside = client.get(url, HTTP_RANGE=f"bytes={len(content) + 10}-")
    assert outside.status_code == 416 and outside["Content-Range"] == f"bytes */{len(content)}"


def test_a_transcript_belongs_to_audio_only(editor, org, media_root):
    response = post_document(factories.api_client(editor), org, "note.pdf", samples.pdf_bytes("x"),
                             transcript="texte")
    assert response.status_code == 400 and response.json()["code"] == "transcript_only_for_audio"
    assert stored_files(media_root) == [] and not Document.objects.exists()


def test_a_link_only_document_needs_no_file(editor, org):
    response = factories.api_client(editor).post("/api/v1/documents/", {
        "organisation": org.id, "title": "Vidéo du panel", "kind": "video",
        "external_url": "https://video.example.org/panel"}, format="json")
    assert response.status_code == 201 and response.json()["files"] == []


def test_deleting_a_document_deletes_its_files_once_committed(editor, org, media_root,
                                                              django_capture_on_commit_callbacks):
    response = post_document(factories.api_client(editor), org, "note.pdf", samples.pdf_bytes("x"))
    document = Document.objects.get(pk=response.json()["id"])
    with django_capture_on_commit_callbacks(execute=True):
        deleted = factories.api_client(editor).delete(f"/api/v1/documents/{document.id}/",
                                                      HTTP_IF_MATCH=factories.if_match(document))
    assert deleted.status_code == 204
    assert stored_files(media_root) == []
