"""Fictitious files for the demo: a text PDF written by hand (no PDF library needed) and a short audio clip
spoken by espeak-ng's synthetic voice (never a real person's), or a plain tone when espeak-ng is missing."""
import io
import math
import shutil
import struct
import subprocess
import tempfile
import wave
from pathlib import Path


def text_pdf(title: str, paragraphs: list[str]) -> bytes:
    """A one-page A4 PDF: the title, then the paragraphs wrapped at ~90 characters (Helvetica, WinAnsi)."""
    import textwrap

    def literal(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    lines = [f"/F2 15 Tf ({literal(title)}) Tj /F1 11 Tf 0 -10 Td"]
    for paragraph in paragraphs:
        for line in textwrap.wrap(paragraph, 90) + [""]:
            lines.append(f"({literal(line)}) '")
    stream = ("BT 50 790 Td 15 TL " + " ".join(lines) + " ET").encode("cp1252", errors="replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write(b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets))
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def tone_wav(seconds: float = 3.0, frequency: float = 440.0, rate: int = 16000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(b"".join(struct.pack("<h", int(9000 * math.sin(2 * math.pi * frequency * n / rate)))
                                   for n in range(int(seconds * rate))))
    return out.getvalue()


def spoken_wav(sentence: str) -> bytes:
    """The sentence read by espeak-ng's French synthetic voice; a tone if espeak-ng is not installed."""
    if not shutil.which("espeak-ng"):
        return tone_wav()
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "voix.wav"
        subprocess.run(["espeak-ng", "-v", "fr", "-s", "140", "-w", str(target), sentence], check=True,
                       capture_output=True, timeout=60)
        return target.read_bytes()
