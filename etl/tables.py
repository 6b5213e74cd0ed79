"""Reading the tables people keep: CSV (comma, semicolon or tab; UTF-8 or Windows-1252), XLSX and KoBoToolbox
exports, with an optional HXL hashtag row under the header. Pure data code, no Django.

Every cell comes back as a stripped string or None: what a cell means (a date, a number, a place) is decided by
the importer, column by column, with :mod:`etl.values_fr`.
"""
import csv
import io
import re
from dataclasses import dataclass, field

import pandas as pd

from etl.errors import EtlError

MAX_BYTES = 5_000_000  # a 3W table of a few thousand rows is well under 1 MB
MAX_ROWS = 5_000
_SEPARATORS = (";", ",", "\t")
# KoBoToolbox names the columns of a question inside a group "group_name/question" (or with "-" in some exports).
_KOBO_GROUP = re.compile(r"^(?:[\w.]+[/:])+")
# Columns KoBoToolbox adds to every export; "_uuid" is the stable key of a submission.
KOBO_META = {"_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
             "__version__", "_tags", "_index", "start", "end", "today", "deviceid", "meta/instanceID"}


@dataclass
class Table:
    """A table read from a file: its cells as text, its HXL hashtags per column and how it was read."""

    frame: pd.DataFrame  # object dtype, each cell a stripped str or None
    hxl: dict[str, str] = field(default_factory=dict)  # column -> normalised hashtag ("#adm2+code")
    source_format: str = "csv"  # csv, xlsx; "kobo" when KoBoToolbox's columns were recognised
    encoding: str | None = None
    separator: str | None = None
    lines: list[int] = field(default_factory=list)  # each row's line in the file (blank lines are skipped)

    @property
    def first_data_line(self) -> int:
        return self.lines[0] if self.lines else 2

    def line_of(self, position: int) -> int:
        """The line a person sees in their spreadsheet for the row at this position."""
        return self.lines[position] if position < len(self.lines) else self.first_data_line + position


def _too_large(size: int) -> EtlError:
    return EtlError("file_too_large",
                    f"Fichier trop volumineux ({size // 1000} ko ; maximum {MAX_BYTES // 1_000_000} Mo).",
                    f"File too large ({size // 1000} kB; at most {MAX_BYTES // 1_000_000} MB).")


def _cell(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        if value.is_integer():
            value = int(value)
    if hasattr(value, "isoformat") and not isinstance(value, str):
        # openpyxl gives datetimes for date cells: keep the day, the importer reads ISO dates.
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    text = str(value).replace("\u00a0", " ").strip()
    return text or None


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and its encoding: UTF-8 (with or without BOM) first, then Windows-1252, the
    encoding Excel uses on French Windows when it saves "CSV (séparateur : point-virgule)"."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _sniff_separator(text: str) -> str:
    head = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(head, delimiters="".join(_SEPARATORS)).delimiter
    except csv.Error:
        counts = {sep: head.count(sep) for sep in _SEPARATORS}
        return max(counts, key=counts.get)


def _rows_from_csv(data: bytes) -> tuple[list[list], str, str]:
    text, encoding = decode_text(data)
    separator = _sniff_separator(text)
    rows = list(csv.reader(io.StringIO(text), delimiter=separator))
    return rows, encoding, separator


def _rows_from_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zipfile.BadZipFile, KeyError, InvalidFileException)
        raise EtlError("file_unreadable", f"Classeur XLSX illisible : {exc}", f"Unreadable XLSX workbook: {exc}") \
            from exc
    sheet = workbook.worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True):
        rows.append(list(row))
        if len(rows) > MAX_ROWS + 30:
            break
    workbook.close()
    return rows


def _header_position(rows: list[list]) -> int:
    """Where the header is: spreadsheets often start with a title ("Matrice 3W – Réseau X – 2025") and a blank
    line; the header is the first of the first rows that fills at least half as many cells as the fullest."""
    counts = [sum(1 for c in row if _cell(c)) for row in rows[:20]]
    widest = max(counts)
    for position, count in enumerate(counts[:10]):
        if count >= max(2, widest / 2) or is_hxl_row(rows[position]):
            return position
    return 0


def is_hxl_row(cells: list) -> bool:
    """True when the non-empty cells of a row are HXL hashtags (#org+name …) and there is at least one."""
    values = [_cell(c) for c in cells]
    values = [v for v in values if v]
    return bool(values) and all(re.fullmatch(r"#[A-Za-z][\w]*(\s*\+\s*[\w]+)*", v) for v in values)


def normalise_hashtag(tag: str) -> str:
    """"#Adm2 +Code" -> "#adm2+code" (lower case, no spaces; attribute order kept as written)."""
    return re.sub(r"\s+", "", tag).lower()


def _header(value, position: int) -> str:
    text = _cell(value) or f"colonne_{position + 1}"
    return text


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for name in names:
        if name in seen:
            seen[name] += 1
            result.append(f"{name}_{seen[name]}")
        else:
            seen[name] = 0
            result.append(name)
    return result


def read_table(data: bytes, filename: str = "") -> Table:
    """Reads a CSV or XLSX file (or a KoBoToolbox export of either) given as bytes.

    The header is the first row that fills at least half as many cells as the fullest (a title and blank lines
    above it are skipped); a row of HXL hashtags right under it (or right above it, as some HXL tools write) is
    read as the columns' hashtags. KoBoToolbox group prefixes ("identification/organisation")
    are dropped from the column names. Raises EtlError file_too_large, file_unreadable, table_empty or
    too_many_rows.
    """
    if len(data) > MAX_BYTES:
        raise _too_large(len(data))
    encoding = separator = None
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        rows, source_format = _rows_from_xlsx(data), "xlsx"
    else:
        if b"\x00" in data[:2000]:
            raise EtlError("file_unreadable", "Ce fichier n'est ni un CSV ni un classeur XLSX.",
                           "This file is neither a CSV file nor an XLSX workbook.")
        rows, encoding, separator = _rows_from_csv(data)
        source_format = "csv"
    # Keep each row's line in the file, so that messages name the line a person sees in their spreadsheet.
    numbered = [(line, row) for line, row in enumerate(rows, start=1) if any(_cell(c) for c in row)]
    rows = [row for _line, row in numbered]
    if not rows:
        raise EtlError("table_empty", "Le fichier ne contient aucune ligne.", "The file has no rows.")
    header_at = _header_position(rows)
    tags_row = None
    if is_hxl_row(rows[header_at]) and len(rows) > header_at + 1:  # hashtags above the header
        tags_row, header_at = rows[header_at], header_at + 1
    header = rows[header_at]
    body_at = header_at + 1
    if tags_row is None and body_at < len(rows) and is_hxl_row(rows[body_at]):
        tags_row, body_at = rows[body_at], body_at + 1
    body = rows[body_at:]
    width = max(len(header), max((len(r) for r in body), default=0))
    raw_names = [_header(header[i] if i < len(header) else None, i) for i in range(width)]
    kobo = any(name in KOBO_META or _KOBO_GROUP.match(name) for name in raw_names) and (
        "_uuid" in raw_names or "_submission_time" in raw_names or any("/" in n for n in raw_names))
    names = _dedupe([_KOBO_GROUP.sub("", n) if kobo and n not in KOBO_META else n for n in raw_names])
    if len(body) > MAX_ROWS:
        raise EtlError("too_many_rows", f"Trop de lignes ({len(body)} ; maximum {MAX_ROWS}).",
                       f"Too many rows ({len(body)}; at most {MAX_ROWS}).")
    frame = pd.DataFrame([[_cell(r[i]) if i < len(r) else None for i in range(width)] for r in body],
                         columns=names, dtype=object)
    hxl = {}
    if tags_row is not None:
        for i, name in enumerate(names):
            tag = _cell(tags_row[i]) if i < len(tags_row) else None
            if tag:
                hxl[name] = normalise_hashtag(tag)
    return Table(frame=frame, hxl=hxl, source_format="kobo" if kobo else source_format, encoding=encoding,
                 separator=separator, lines=[line for line, _row in numbered[body_at:]])
