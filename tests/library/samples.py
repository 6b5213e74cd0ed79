"""Small files made by the tests themselves: text PDFs (hand-built), images, audio (a sine tone written with
Python's wave module, converted by ffmpeg), and hostile files. Nothing is downloaded; no real voice is used."""
import io
import math
import struct
import subprocess
import tempfile
import wave
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(text: str, *, javascript: str | None = None) -> bytes:
    """A one-page PDF showing `text` (Helvetica, WinAnsi so French accents work), optionally with an
    /OpenAction JavaScript: the kind of file a hostile upload would be."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    lines = [safe[i:i + 80] for i in range(0, len(safe), 80)] or [""]
    stream = "BT /F1 12 Tf 50 780 Td 14 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    stream_bytes = stream.encode("cp1252")
    catalog = b"<< /Type /Catalog /Pages 2 0 R" + (b" /OpenAction 6 0 R" if javascript else b"") + b" >>"
    objects = [
        catalog,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R"
        b" >> >> >>",
        b"<< /Length " + str(len(stream_bytes)).encode() + b" >>\nstream\n" + stream_bytes + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    if javascript:
        objects.append(b"<< /Type /Action /S /JavaScript /JS (" + javascript.encode() + b") >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def png_bytes(width: int = 40, height: int = 30) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (122, 31, 92)).save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (31, 119, 180)).save(out, format="JPEG")
    return out.getvalue()


def png_bomb() -> bytes:
    """A PNG whose header announces 100,000 × 100,000 pixels (10 gigapixels) in a few hundred bytes."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
            + chunk(b"IEND", b""))


def wav_bytes(seconds: float = 2.0, frequency: float = 440.0, rate: int = 16000) -> bytes:
    """A mono 16-bit sine tone."""
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        frames = b"".join(struct.pack("<h", int(12000 * math.sin(2 * math.pi * frequency * n / rate)))
                          for n in range(int(seconds * rate)))
        audio.writeframes(frames)
    return out.getvalue()


def converted_audio(extension: str, seconds: float = 2.0) -> bytes:
    """The sine tone converted by ffmpeg to mp3, ogg (Vorbis) or m4a (AAC)."""
    codec = {"mp3": ["-c:a", "libmp3lame"], "ogg": ["-c:a", "libvorbis"], "m4a": ["-c:a", "aac"]}[extension]
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "tone.wav", Path(folder) / f"tone.{extension}"
        source.write_bytes(wav_bytes(seconds))
        subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(source), *codec, str(target)],
                       check=True, timeout=60)
        return target.read_bytes()


def zip_bomb() -> bytes:
    """A small zip that unpacks to 200 MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("rapport.pdf", "w", force_zip64=True) as member:
            block = b"\x00" * (1 << 20)
            for _ in range(200):
                member.write(block)
    return out.getvalue()


def executable_bytes() -> bytes:
    """A real program (this machine's /bin/true)."""
    return Path("/bin/true").read_bytes()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
