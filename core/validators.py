"""Checks that several apps' forms share."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Moments outside these years are typing mistakes; near year 1 they cannot even be
# converted to UTC, stored and read back.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2999


def validate_plausible_year(value):
    if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            _("Enter a date between the years %(earliest)s and %(latest)s."),
            code="implausible_year",
            params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
        )
