"""Server-rendered SVG charts for the metrics pages: no JavaScript, no CDN.

Each chart is an accessible picture (``role="img"`` named by its ``<title>`` and
``<desc>``) and carries its figures as ``rows`` for the data table that
``metrics/_chart.html`` renders next to it. Gaps are gaps: ``None`` breaks a line (a
lone point between gaps is a dot) and leaves a bar out, while a real 0 is drawn as 0.
Colours come from ``static/css/charts.css``; the attributes here are only a fallback.
"""

import datetime
import html
import math
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.utils import numberformat
from django.utils.formats import date_format, get_format
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_lazy, ngettext, pgettext

NO_DATA = gettext_lazy("no data")
DASH = "—"
CHAR_WIDTH = 7  # rough width of a digit at the charts' 12px, for margins and labels


@dataclass(frozen=True)
class Chart:
    svg: SafeString
    title: str
    description: str
    y_label: str
    rows: list[tuple[str, str]]
    x_label: str = ""

    @property
    def rows_html(self):
        """The rows of ``metrics/_chart.html``'s data table, as its loop wrote them (a
        year of daily figures is 365 rows: the template's loop was a third of the time
        of a channel's figures page)."""
        return _join(_ROW % (_escape(label), _escape(value)) for label, value in self.rows)


_ROW = '\n          <tr><th scope="row">%s</th><td class="text-end">%s</td></tr>\n          '


def format_value(value) -> str:
    """A figure for people: grouped digits of the active locale, at most two decimals,
    "—" for a gap."""
    return _Numbers()(value)


class _Numbers:
    """``format_value`` for many figures: the active locale's separators are looked up
    once, not for each figure (a chart formats hundreds). The result is what
    ``number_format(value, force_grouping=True)`` gives."""

    def __init__(self):
        language = get_language()
        self.decimal = get_format("DECIMAL_SEPARATOR", language, use_l10n=True)
        self.grouping = get_format("NUMBER_GROUPING", language, use_l10n=True)
        self.thousands = get_format("THOUSAND_SEPARATOR", language, use_l10n=True)

    def __call__(self, value):
        value = _clean(value)
        if value is None:
            return DASH
        value = round(value, 2)
        if value == int(value):
            value = int(value)
        if self.grouping != 3:
            return numberformat.format(
                value, self.decimal, None, self.grouping, self.thousands, force_grouping=True
            )
        # As numberformat.format with groups of three: a rounded float that is not whole
        # is below 1e16 and at least 0.01, so str() writes it without an exponent.
        text = str(value)
        sign = ""
        if text[0] == "-":
            sign, text = "-", text[1:]
        whole, _point, decimals = text.partition(".")
        whole = f"{int(whole):,}".replace(",", self.thousands)
        return sign + whole + (self.decimal + decimals if decimals else "")


def _date_formatter(format_name):
    """A function that writes a date as ``date_format(day, format_name)`` does, made
    once for the many dates of a chart: the active locale's format is looked up once,
    and a format of numbers only (Y-m-d) is written without Django's formatter."""
    pattern = get_format(format_name, get_language(), use_l10n=True)
    if "\\" in pattern or any(c in _FORMAT_CHARS and c not in _NUMERIC for c in pattern):
        return lambda day: date_format(day, format_name)
    template = "".join(_NUMERIC.get(c) or c.replace("{", "{{").replace("}", "}}") for c in pattern)

    def write(day):
        if type(day) is not datetime.date:  # a datetime is first made local
            return date_format(day, format_name)
        year = day.year
        return template.format(year=year, month=day.month, day=day.day, short_year=year % 100)

    return write


# Django's date format characters (django.utils.dateformat.re_formatchars), and those
# of them that are numbers, as str.format writes them the way Django does.
_FORMAT_CHARS = frozenset("aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ")
_NUMERIC = {
    "d": "{day:02d}",
    "j": "{day}",
    "m": "{month:02d}",
    "n": "{month}",
    "Y": "{year:04d}",
    "y": "{short_year:02d}",
}


def trend_label(values, unit_label, *, period="week") -> str:
    """The sparkline's accessible name, for one value per ``period`` ("day", "week" or
    "month"): "Followers over 12 weeks: from 1,200 to 1,450 (1 without data)"."""
    values = [_clean(v) for v in values]
    known = [v for v in values if v is not None]
    if not known:
        return gettext("%(what)s: no data") % {"what": unit_label}
    count = len(values)
    span = {
        "day": ngettext("%(count)s day", "%(count)s days", count),
        "week": ngettext("%(count)s week", "%(count)s weeks", count),
        "month": ngettext("%(count)s month", "%(count)s months", count),
    }[period] % {"count": count}
    if len(known) == 1:
        text = gettext("%(what)s over %(period)s: %(value)s") % {
            "what": unit_label,
            "period": span,
            "value": format_value(known[0]),
        }
    else:
        text = gettext("%(what)s over %(period)s: from %(first)s to %(last)s") % {
            "what": unit_label,
            "period": span,
            "first": format_value(known[0]),
            "last": format_value(known[-1]),
        }
    missing = count - len(known)
    if missing:
        text += " (%s)" % (gettext("%(count)s without data") % {"count": missing})
    return text


def nice_ticks(lo, hi, *, zero_based=True):
    """4–6 round values covering lo..hi: 0, 500, … 2000 for 0..1,900. With
    ``zero_based`` the range reaches to 0 when the data is reasonably near it."""
    if zero_based:
        if lo >= 0 and (lo == hi or lo <= hi / 2):
            lo = 0
        elif hi <= 0 and (lo == hi or hi >= lo / 2):
            hi = 0
    if lo == hi:
        lo, hi = (lo - 1, hi + 1) if lo else (0, 1)
    exponent = math.floor(math.log10((hi - lo) / 5))
    for e in range(exponent - 1, exponent + 3):
        for mantissa in (1, 2, 2.5, 5):
            step = mantissa * 10**e
            first = math.floor(lo / step + 1e-9)
            last = math.ceil(hi / step - 1e-9)
            if last - first <= 5:
                decimals = max(0, -e) + (mantissa == 2.5)
                ticks = [round((first + i) * step, decimals) for i in range(last - first + 1)]
                return [int(t) if decimals == 0 else t for t in ticks]
    raise AssertionError("unreachable: the step grows until the ticks fit")


def line_chart(points, *, title, description, y_label, width=640, height=240, target=None):
    """A line over time; ``points`` are ``(date, number or None)``."""
    points = sorted(((d, _clean(v)) for d, v in points), key=lambda p: p[0])
    target = _clean(target)
    known = [v for _d, v in points if v is not None]
    numbers = _Numbers()
    frame = _Frame(width, height, known + ([target] if target is not None else []), True, numbers)
    first, last = (points[0][0], points[-1][0]) if points else (None, None)
    days = (last - first).days if points else 0

    def x(day):
        return frame.left + (
            frame.plot_w / 2 if not days else (day - first).days / days * frame.plot_w
        )

    gaps, gap_from = [], None  # where the band of the gap being walked through starts
    for i, (day, value) in enumerate(points):
        if value is None and gap_from is None:
            gap_from = x(points[i - 1][0] if i else day)
        elif value is not None and gap_from is not None:
            gaps.append(_gap(frame, gap_from, x(day)))
            gap_from = None
    if gap_from is not None:
        gaps.append(_gap(frame, gap_from, x(last)))
    parts = gaps + frame.axes(y_label)  # the bands behind the axes and lines
    for day, label, anchor in _date_ticks(first, last, frame.plot_w):
        px, half = x(day), len(label) * CHAR_WIDTH / 2
        anchor = "start" if px < half else "end" if px + half > width else anchor
        parts.append(_line(px, frame.bottom, px, frame.bottom + 4, "chart-axis"))
        parts.append(_text(px, frame.bottom + 18, label, "chart-tick", anchor))
    coords = [None if v is None else (x(day), frame.y(v)) for day, v in points]
    parts += _traces(coords, element="path", radius=3)
    if target is not None:
        ty = frame.y(target)
        parts.append(_line(frame.left, ty, frame.right, ty, "chart-target", dashed=True))
        label = gettext("Goal: %(value)s") % {"value": numbers(target)}
        # At the start, where the line is usually furthest from its goal.
        parts.append(_text(frame.left + 6, ty - 5, label, "chart-target-label", "start"))
    if not known:
        parts.append(frame.no_data())
    day_label = _date_formatter("SHORT_DATE_FORMAT")
    rows = [(day_label(d), numbers(v)) for d, v in points]
    return _chart(frame, parts, title, description, y_label, rows, gettext("Date"))


def bar_chart(bars, *, title, description, y_label, width=640, height=200, x_label=None):
    """Bars from 0, one per ``(label, number or None)``; a ``None`` bar is left out."""
    bars = [(str(label), _clean(v)) for label, v in bars]
    known = [v for _label, v in bars if v is not None]
    numbers = _Numbers()
    frame = _Frame(width, height, [*known, 0], False, numbers)
    parts = frame.axes(y_label)
    slot = frame.plot_w / max(len(bars), 1)
    zero = frame.y(0)
    # Where the labels do not fit under every bar, every n-th bar is labelled, counted
    # from the last one (the most recent, when bars are periods).
    longest = max((len(label) for label, _value in bars), default=1)
    every = max(1, math.ceil((longest + 1) * CHAR_WIDTH / slot))
    for i, (label, value) in enumerate(bars):
        centre = frame.left + slot * (i + 0.5)
        if (len(bars) - 1 - i) % every == 0:
            parts.append(_text(centre, frame.bottom + 18, label, "chart-tick", "middle"))
        if value is None:
            mark = NO_DATA if len(str(NO_DATA)) * CHAR_WIDTH < slot else DASH
            parts.append(_text(centre, zero - 5, mark, "chart-nodata", "middle"))
            continue
        top, bottom = sorted((frame.y(value), zero))
        parts.append(
            f'<rect class="chart-bar" x="{centre - slot * 0.35:.1f}" y="{top:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{bottom - top:.1f}"/>'
        )
        # Above the bar, or above the zero line for a bar that goes down, where it fits.
        shown = numbers(value)
        if len(shown) * CHAR_WIDTH <= slot:
            parts.append(_text(centre, top - 5, shown, "chart-value", "middle"))
    if not bars:
        parts.append(frame.no_data())
    rows = [(label, numbers(v)) for label, v in bars]
    return _chart(frame, parts, title, description, y_label, rows, x_label or gettext("Category"))


def sparkline(values, *, width=120, height=28, label):
    """A tiny trend line for tables and cards, named by ``label`` (see ``trend_label``)."""
    values = [_clean(v) for v in values]
    known = [v for v in values if v is not None]
    parts = [format_html("<title>{}</title>", label)]
    if not known:
        parts.append(_text(width / 2, height / 2 + 4, NO_DATA, "chart-nodata", "middle"))
    else:
        lo, hi = min(known), max(known)
        pad = 3

        def xy(i, v):
            px = pad + (i / (len(values) - 1) if len(values) > 1 else 0.5) * (width - 2 * pad)
            py = height / 2 if hi == lo else pad + (hi - v) / (hi - lo) * (height - 2 * pad)
            return px, py

        parts += _traces([None if v is None else xy(i, v) for i, v in enumerate(values)])
        last = max(i for i, v in enumerate(values) if v is not None)
        parts.append(_dot(*xy(last, values[last]), "chart-end", radius=2.5))
    svg = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart-sparkline" viewBox="0 0 {} {}" '
        'width="{}" height="{}" role="img" aria-label="{}" font-size="9">{}</svg>',
        width,
        height,
        width,
        height,
        label,
        _join(parts),
    )
    # No data table: a sparkline sits in a row whose figures are beside it, and its
    # label says the trend. (Formatting twelve numbers per row was half the time of a
    # 500-channel unit report.)
    return Chart(svg=svg, title=str(label), description="", y_label="", rows=[])


class _Frame:
    """The plot area inside the margins and the y scale that maps figures into it."""

    def __init__(self, width, height, values, zero_based, numbers):
        self.width, self.height = width, height
        self.ticks = nice_ticks(min(values), max(values), zero_based=zero_based) if values else []
        self.lo, self.hi = (self.ticks[0], self.ticks[-1]) if self.ticks else (0, 1)
        self.labels = [numbers(t) for t in self.ticks]
        widest = max((len(label) for label in self.labels), default=1)
        self.left = 12 + CHAR_WIDTH * widest
        self.right = width - 24
        self.top, self.bottom = 28, height - 28
        self.plot_w, self.plot_h = self.right - self.left, self.bottom - self.top

    def y(self, value):
        return self.top + (self.hi - value) / (self.hi - self.lo) * self.plot_h

    def no_data(self):
        middle = (self.left + self.plot_w / 2, self.top + self.plot_h / 2)
        return _text(*middle, NO_DATA, "chart-nodata", "middle")

    def axes(self, y_label):
        parts = [_text(4, 14, y_label, "chart-label", "start")]
        for tick, label in zip(self.ticks, self.labels, strict=True):
            ty = self.y(tick)
            parts.append(_line(self.left, ty, self.right, ty, "chart-grid"))
            parts.append(_text(self.left - 6, ty + 4, label, "chart-tick", "end"))
        if self.lo < 0 < self.hi:
            parts.append(_line(self.left, self.y(0), self.right, self.y(0), "chart-zero"))
        parts.append(_line(self.left, self.top, self.left, self.bottom, "chart-axis"))
        parts.append(_line(self.left, self.bottom, self.right, self.bottom, "chart-axis"))
        return parts


def _date_ticks(first, last, plot_w):
    """(date, label, text-anchor) for the x axis: days or weeks for short ranges, month
    starts for long ones, never more labels than fit."""
    if first is None:
        return []
    if first == last:
        return [(first, date_format(first, pgettext("chart axis day", "M j")), "middle")]
    days, fit = (last - first).days, max(2, int(plot_w // 80))
    for step in (1, 2, 7, 14):
        start = first if step < 7 else first + datetime.timedelta(days=-first.weekday() % 7)
        if days // step + 1 <= fit:
            day_format = pgettext("chart axis day", "M j")
            ticks = []
            while start <= last:
                ticks.append((start, date_format(start, day_format), "middle"))
                start += datetime.timedelta(days=step)
            return ticks
    month_format = pgettext("chart axis month", "M Y")
    for step in (1, 2, 3, 6, 12, 24, 60):
        months = []
        m = first.year * 12 + first.month - (first.day == 1)  # the first month start >= first
        while (day := datetime.date(m // 12, m % 12 + 1, 1)) <= last:
            if m % step == 0:
                months.append((day, date_format(day, month_format), "middle"))
            m += 1
        if len(months) <= fit:
            return months
    return []


def _clean(value):
    """A number, or ``None`` for a gap (also NaN and infinities)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        value = float(value)
    return value if math.isfinite(value) else None


def _chart(frame, parts, title, description, y_label, rows, x_label):
    uid = "chart-" + secrets.token_hex(4)
    svg = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {} {}" width="100%" '
        'role="img" aria-labelledby="{}-title {}-desc" font-size="12">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        frame.width,
        frame.height,
        uid,
        uid,
        uid,
        title,
        uid,
        description,
        _join(parts),
    )
    return Chart(svg, str(title), str(description), str(y_label), rows, str(x_label))


# The parts of a chart are strings of SVG, joined once: their numbers are written by
# f-strings, their classes and anchors are this module's constants, and any text is
# escaped (_text). (format_html for each of a chart's hundreds of parts was most of the
# time of a channel's figures page.)


def _join(parts):
    """The parts as one safe string: the only place this module marks text safe
    (reviewed in portal/tests/test_template_safety.py)."""
    return mark_safe("".join(parts))  # nosec B308, B703: every part escapes its texts


def _line(x1, y1, x2, y2, css, *, dashed=False):
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    return (
        f'<line class="{css}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
        f'stroke="currentColor"{dash}/>'
    )


def _text(x, y, text, css, anchor):
    return (
        f'<text class="{css}" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{_escape(text)}</text>'
    )


def _dot(x, y, css, *, radius=3):
    return f'<circle class="{css}" cx="{x:.1f}" cy="{y:.1f}" r="{radius}"/>'


def _traces(coords, *, element="polyline", radius=1.5):
    """The runs of ``(x, y)`` between ``None``s as lines; a run of one point is a dot."""
    parts, run = [], []
    for point in [*coords, None]:
        if point is not None:
            run.append(point)
            continue
        if len(run) == 1:
            parts.append(_dot(*run[0], "chart-dot", radius=radius))
        elif run:
            xys = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            html = f'<path d="M{xys}"' if element == "path" else f'<polyline points="{xys}"'
            parts.append(html + ' class="chart-line" fill="none" stroke="currentColor"/>')
        run = []
    return parts


def _gap(frame, x1, x2):
    """A faint band where figures are missing, so a gap reads as a gap."""
    x1, x2 = min(x1, x2) - 2, max(x1, x2) + 2
    return (
        f'<rect class="chart-gap" x="{x1:.1f}" y="{frame.top:.1f}" width="{x2 - x1:.1f}" '
        f'height="{frame.plot_h:.1f}" fill="none"/>'
    )


def _escape(text):
    """``conditional_escape(text)``, without the cost of its lazy-argument wrapper (a
    chart escapes hundreds of texts)."""
    if isinstance(text, Promise):
        text = str(text)
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))
