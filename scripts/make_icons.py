"""Draws Musoya's app icons (a white map pin on the project's purple) as PNG files, with no image library.

Run once when the design changes: python scripts/make_icons.py. The PNGs are committed under
geo_backend/web/static/web/icons/.
"""
import struct
import zlib
from pathlib import Path

PURPLE = (122, 31, 92)
WHITE = (255, 253, 248)
OUT = Path(__file__).resolve().parents[1] / "geo_backend" / "web" / "static" / "web" / "icons"


def inside_pin(x: float, y: float, scale: float) -> bool:
    """A map pin: a disc on top of a point, with a hole; coordinates in 0..1."""
    cx, cy, r = 0.5, 0.42, 0.22 * scale
    in_disc = (x - cx) ** 2 + (y - cy) ** 2 <= r ** 2
    tip_y = cy + 0.36 * scale
    in_point = cy <= y <= tip_y and abs(x - cx) <= r * (tip_y - y) / (tip_y - cy) * 0.95
    in_hole = (x - cx) ** 2 + (y - cy) ** 2 <= (r * 0.42) ** 2
    return (in_disc or in_point) and not in_hole


def icon(size: int, *, maskable: bool) -> bytes:
    samples = 4  # supersampling for smooth edges
    rows = []
    scale = 0.8 if maskable else 1.0  # maskable icons keep their content inside the safe zone
    for j in range(size):
        row = bytearray([0])
        for i in range(size):
            hits = 0
            for sj in range(samples):
                for si in range(samples):
                    x, y = (i + (si + 0.5) / samples) / size, (j + (sj + 0.5) / samples) / size
                    hits += inside_pin(x, y, scale)
            share = hits / samples**2
            row += bytes(round(w * share + p * (1 - share)) for w, p in zip(WHITE, PURPLE, strict=True))
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "musoya-192.png").write_bytes(icon(192, maskable=False))
    (OUT / "musoya-512.png").write_bytes(icon(512, maskable=False))
    (OUT / "musoya-maskable-512.png").write_bytes(icon(512, maskable=True))
    print("icons written to", OUT)
