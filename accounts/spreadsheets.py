"""Cells for the CSV exports that spreadsheets open as plain text."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Spreadsheets run a cell that starts with = + - @ as a formula; a leading
    apostrophe makes it plain text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text
