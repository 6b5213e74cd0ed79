"""Exports of the current table: CSV (the project's one writer, etl.hxl: UTF-8 with BOM) and XLSX. Pure."""
import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from etl.hxl import csv_bytes

from .figures import Table


def filename(table: Table, extension: str, today: dt.date | None = None) -> str:
    return f"musoya-{table.name}-{(today or dt.date.today()).isoformat()}.{extension}"


def to_csv(table: Table) -> bytes:
    """The table with its labels as header, by the project's one CSV writer (etl.hxl); numbers written as numbers
    (decimal point), empty cells empty."""
    frame = table.labelled()
    return csv_bytes(list(frame.columns), ([None if _missing(v) else v for v in row]
                                           for row in frame.itertuples(index=False)))


def to_xlsx(table: Table, *, sheet: str = "Musoya") -> bytes:
    """The table in one sheet: bold header, frozen first row, columns sized to their content; then the notes."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet[:31]
    frame = table.labelled()
    worksheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        worksheet.append([None if _missing(v) else v for v in row])
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    worksheet.freeze_panes = "A2"
    for index, column in enumerate(frame.columns, start=1):
        longest = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200) if not _missing(v)])
        worksheet.column_dimensions[get_column_letter(index)].width = min(60, longest + 2)
    for note in table.notes:
        worksheet.append([])
        worksheet.append([note])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _missing(value) -> bool:
    try:
        return value is None or value != value  # NaN
    except (TypeError, ValueError):
        return False
