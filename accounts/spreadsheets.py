"""Spreadsheets in and out: the CSV and XLSX exports, and reading an uploaded CSV or XLSX.

CSV cells that a spreadsheet would run as a formula get a leading apostrophe
(``spreadsheet_safe``). XLSX cells carry their type: numbers are numbers and dates are
dates, whatever the reader's locale, and a text that starts like a formula is stored as
text (``xlsx_response``).
"""

import csv
import datetime
import io
import tempfile

from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet_safe(value):
    """Spreadsheets run a cell that starts with = + - @ as a formula; a leading
    apostrophe makes it plain text. Numbers and dates stay as they are (-3 is a
    number, not a formula)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return str(value)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


# --- XLSX --------------------------------------------------------------------------


def _text_cell(sheet, text):
    """A cell that holds ``text`` as text, even when it starts like a formula: openpyxl
    would otherwise write "=..." as a formula. quotePrefix keeps it text when someone
    edits the cell in Excel."""
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _xlsx_value(sheet, value):
    if value is None or value == "":
        return None
    if isinstance(value, Promise):  # a lazily translated label
        value = str(value)
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: the organisation's local time, as the pages show.
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, str):
        return _text_cell(sheet, value) if value.startswith(FORMULA_PREFIXES) else value
    return value  # numbers, dates (openpyxl gives them a date format), booleans


def xlsx_response(rows, *, header, filename, title, widths=()):
    """An XLSX download of ``rows`` (lists of Python values) under a bold, frozen
    ``header`` row with a filter. Written row by row (openpyxl's write-only mode) to a
    temporary file, so 100,000 rows never sit in memory as cells."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, label in enumerate(header):
        given = widths[index] if index < len(widths) else 14
        sheet.column_dimensions[get_column_letter(index + 1)].width = max(given, len(label) + 2)
    sheet.freeze_panes = "A2"
    if header:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}1"
    bold = Font(bold=True)
    header_cells = []
    for label in header:
        cell = WriteOnlyCell(sheet, value=str(label))
        cell.data_type = "s"
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_value(sheet, value) for value in row])
    output = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it
    workbook.save(output)
    output.seek(0)
    return FileResponse(
        output, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


# --- Reading an uploaded spreadsheet -----------------------------------------------


MAX_COLUMNS = 64  # the export has 17


class UnreadableSpreadsheet(ValueError):
    """The upload is not a CSV or XLSX file the portal can read."""


class Formula(str):
    """A cell that held a formula (its text, "=..."), to be refused rather than run."""

    __slots__ = ()


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(data, *, max_rows):
    """The first sheet's rows as lists of text; a formula cell is a ``Formula``."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # zipfile, XML and openpyxl's own errors alike
        raise UnreadableSpreadsheet(str(error)) from error
    try:
        sheet = workbook.worksheets[0]
        rows = []
        # At most MAX_COLUMNS columns: a crafted sheet cannot make one row endless.
        for row in sheet.iter_rows(max_col=MAX_COLUMNS):
            if len(rows) > max_rows:
                break
            texts = []
            for cell in row:
                value = getattr(cell, "value", None)
                if getattr(cell, "data_type", None) == "f" or (
                    isinstance(value, str) and value.startswith("=")
                ):
                    texts.append(Formula(str(value)))
                else:
                    texts.append(_cell_text(value))
            rows.append(texts)
        return rows
    except Exception as error:
        raise UnreadableSpreadsheet(str(error)) from error
    finally:
        workbook.close()


def read_csv(data, *, max_rows):
    """The rows of a CSV file in UTF-8 (with or without a byte order mark) or, failing
    that, Windows-1252, separated by semicolons (Swedish Excel) or commas. A cell that
    starts with "=" is a ``Formula``; the apostrophe our exports add is taken off."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise UnreadableSpreadsheet("encoding")
    if "\x00" in text:
        raise UnreadableSpreadsheet("null character")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(rows) > max_rows:
                break
            cells = []
            for cell in row[:MAX_COLUMNS]:
                cell = cell.strip()
                if cell.startswith("="):
                    cells.append(Formula(cell))
                elif cell.startswith("'") and cell[1:].startswith(FORMULA_PREFIXES):
                    cells.append(cell[1:])
                else:
                    cells.append(cell)
            rows.append(cells)
    except csv.Error as error:
        raise UnreadableSpreadsheet(str(error)) from error
    return rows
