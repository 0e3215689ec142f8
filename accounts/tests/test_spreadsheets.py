"""spreadsheet_safe(): a CSV cell a spreadsheet opens as text, never as a formula."""

import pytest

from accounts.spreadsheets import spreadsheet_safe


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@handle", "'@handle"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("Physics news", "Physics news"),
        (None, ""),
        (12, "12"),
        (-3, "-3"),  # a number, not a formula
    ],
)
def test_a_cell_that_would_start_a_formula_is_made_plain_text(value, cell):
    assert spreadsheet_safe(value) == cell
