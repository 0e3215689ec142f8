"""English dates as the organisation writes them: day before month, ISO short dates and
a 24-hour clock (Django's "en" formats are American). Numbers keep Django's English
formats (12,345.5); everything not set here falls back to them."""

DATE_FORMAT = "j F Y"  # 28 November 2026
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
