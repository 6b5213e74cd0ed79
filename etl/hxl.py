"""The one CSV writer of the project (API exports, analytics, the dashboard) and the HXL hashtags it may use.

CSV: UTF-8 with a byte-order mark (so that Excel on French Windows reads the accents; HXL tools read the hashtag
row, never the first header's bytes), comma-separated, CRLF line ends, one header row, then (when the columns have
hashtags) one row of HXL 1.1 hashtags. Only hashtags and attributes of the HXL 1.1 dictionary are written: a tag
built with anything else is left out (the column stays untagged, which HXL allows) rather than published wrong.
"""
import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence

# HXL 1.1 core hashtags used here (hxlstandard.org/standard/1-1final/dictionary/).
HXL_HASHTAGS = {
    "#activity", "#adm1", "#adm2", "#adm3", "#adm4", "#adm5", "#affected", "#beneficiary", "#capacity", "#contact",
    "#country", "#date", "#description", "#geo", "#group", "#impact", "#indicator", "#inneed", "#item", "#loc",
    "#meta", "#modality", "#need", "#operations", "#org", "#output", "#population", "#reached", "#region",
    "#sector", "#service", "#severity", "#status", "#subsector", "#targeted", "#value",
}
# HXL 1.1 dictionary attributes used here.
HXL_ATTRIBUTES = {
    "acronym", "adolescents", "adults", "bounds", "children", "code", "coord", "elderly", "end", "f", "funder",
    "i", "id", "impl", "infants", "lat", "lon", "m", "name", "num", "partner", "pct", "prog", "start", "total",
    "type", "url",
}
BOM = "\ufeff"


def is_dictionary_tag(tag: str | None) -> bool:
    """True for a hashtag whose hashtag and every attribute are in the HXL 1.1 dictionary."""
    if not tag:
        return False
    hashtag, *attributes = tag.replace(" ", "").lower().split("+")
    return hashtag in HXL_HASHTAGS and all(a in HXL_ATTRIBUTES for a in attributes)


def admin_tag(level: int, what: str) -> str:
    """#adm1+code … #adm3+name; the country (level 0) is #country+code / #country+name."""
    return f"#country+{what}" if level == 0 else f"#adm{level}+{what}"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if value != value else repr(float(value))  # NaN is empty; 0.1 stays 0.1, 50.0 stays 50.0
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence], hashtags: Sequence[str | None] | None = None
              ) -> bytes:
    """The CSV file of a table: header row, HXL row (when hashtags are given; non-dictionary ones left empty),
    then the rows. Lists are joined with "; ", dates written ISO 8601, numbers with a decimal point."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    if hashtags is not None:
        writer.writerow([tag if is_dictionary_tag(tag) else "" for tag in hashtags])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8")
