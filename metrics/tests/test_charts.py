"""The SVG charts of the metrics pages: gaps stay gaps and a zero stays a zero, the
pictures are named for screen readers and carry their figures as a table, user text is
escaped, the axes are round, and odd data (empty, flat, huge, negative) still draws."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils.formats import date_format, number_format
from django.utils.translation import override

from metrics.charts import (
    Chart,
    _date_formatter,
    bar_chart,
    format_value,
    line_chart,
    nice_ticks,
    sparkline,
    trend_label,
)

SVG = "{http://www.w3.org/2000/svg}"
MONDAY = datetime.date(2026, 3, 2)


def weekly(*values, start=MONDAY):
    return [(start + datetime.timedelta(weeks=i), v) for i, v in enumerate(values)]


def line(*values, **kwargs):
    kwargs = {"title": "Followers", "description": "Weekly followers", "y_label": "Followers"}
    return line_chart(weekly(*values), **kwargs)


def bars(*pairs):
    return bar_chart(list(pairs), title="Posts", description="Posts per channel", y_label="Posts")


def parse(chart):
    """The SVG as XML: it must be well-formed."""
    return ET.fromstring(str(chart.svg))


def find(root, tag, css):
    return [e for e in root.iter(SVG + tag) if css in e.get("class", "").split()]


def path_points(path):
    """[(x, y)] of a ``<path d="M x,y x,y …">``."""
    return [tuple(map(float, xy.split(","))) for xy in path.get("d").lstrip("M").split()]


def baseline(root):
    """The y of the horizontal axis at the bottom of the plot."""
    return max(
        float(e.get("y1")) for e in find(root, "line", "chart-axis") if e.get("y1") == e.get("y2")
    )


def texts(root, css):
    return ["".join(e.itertext()) for e in find(root, "text", css)]


# Gaps are gaps, zero is zero


def test_a_none_splits_the_line_in_two():
    root = parse(line(1, 2, None, 3, 4))

    paths = find(root, "path", "chart-line")
    assert [len(path_points(p)) for p in paths] == [2, 2]
    assert find(root, "circle", "chart-dot") == []
    assert len(find(root, "rect", "chart-gap")) == 1


def test_a_lone_point_between_gaps_is_a_dot():
    root = parse(line(1, 2, None, 5, None, 3, 4))

    assert len(find(root, "path", "chart-line")) == 2
    (dot,) = find(root, "circle", "chart-dot")
    first, second = find(root, "path", "chart-line")
    # Halfway in time between the end of the first run and the start of the second.
    assert float(dot.get("cx")) == pytest.approx(
        (path_points(first)[-1][0] + path_points(second)[0][0]) / 2, abs=0.1
    )
    assert len(find(root, "rect", "chart-gap")) == 2


def test_a_zero_is_drawn_at_the_baseline_not_skipped():
    root = parse(line(5, 0, 10))

    (path,) = find(root, "path", "chart-line")
    ys = [y for _x, y in path_points(path)]
    assert len(ys) == 3
    assert ys[1] == baseline(root)
    assert ys[2] < ys[0] < ys[1]  # higher figures are drawn higher up
    assert find(root, "rect", "chart-gap") == []


def test_gaps_at_the_edges_leave_the_line_where_the_figures_are():
    root = parse(line(None, None, 3, 4, None))

    (path,) = find(root, "path", "chart-line")
    assert len(path_points(path)) == 2
    assert len(find(root, "rect", "chart-gap")) == 2


# Accessible and safe


def test_the_table_rows_are_the_figures_with_a_dash_for_gaps():
    chart = line(1200, None, 0, 1450.5)

    assert chart.rows == [
        ("2026-03-02", "1,200"),
        ("2026-03-09", "—"),
        ("2026-03-16", "0"),
        ("2026-03-23", "1,450.5"),
    ]
    assert isinstance(chart, Chart)
    assert (chart.title, chart.description, chart.y_label) == (
        "Followers",
        "Weekly followers",
        "Followers",
    )


def test_title_and_description_name_the_picture():
    root = parse(line(1, 2, 3))

    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    (title,) = root.findall(SVG + "title")
    (desc,) = root.findall(SVG + "desc")
    assert (title.get("id"), title.text) == (title_id, "Followers")
    assert (desc.get("id"), desc.text) == (desc_id, "Weekly followers")
    assert root.get("viewBox") == "0 0 640 240"
    assert root.get("width") == "100%"


def test_two_charts_on_a_page_have_their_own_ids():
    assert parse(line(1))[0].get("id") != parse(line(1))[0].get("id")


def test_user_text_is_escaped():
    evil = '<script>alert("x")</script>'
    chart = line_chart(weekly(1, 2), title=evil, description=evil, y_label=evil, target=3)
    bar = bar_chart([(evil, 1)], title=evil, description=evil, y_label=evil)
    spark = sparkline([1, 2], label=evil)

    for svg in (chart.svg, bar.svg, spark.svg):
        assert "<script" not in svg
        assert "&lt;script&gt;" in svg
    assert parse(chart).find(SVG + "title").text == evil
    assert parse(spark).get("aria-label") == evil


# Axes


@pytest.mark.parametrize(
    ("lo", "hi", "expected"),
    [
        (0, 1900, [0, 500, 1000, 1500, 2000]),
        (300, 1900, [0, 500, 1000, 1500, 2000]),  # near enough to zero to start there
        (1200, 1450, [1200, 1250, 1300, 1350, 1400, 1450]),  # far from it: a close-up
        (0, 10**9, [0, 200_000_000, 400_000_000, 600_000_000, 800_000_000, 1_000_000_000]),
        (-40, 70, [-50, -25, 0, 25, 50, 75]),
        (7, 7, [0, 2, 4, 6, 8]),
        (0, 0, [0, 0.2, 0.4, 0.6, 0.8, 1]),
        (-900, -100, [-1000, -800, -600, -400, -200, 0]),
        (-900, -600, [-900, -800, -700, -600]),
    ],
)
def test_ticks_are_round_and_cover_the_figures(lo, hi, expected):
    ticks = nice_ticks(lo, hi)

    assert ticks == expected
    assert 4 <= len(ticks) <= 6
    assert ticks[0] <= lo and ticks[-1] >= hi
    steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1


def test_the_y_axis_is_labelled_with_round_figures():
    root = parse(line(100, 1900, 1500))

    assert texts(root, "chart-tick")[:5] == ["0", "500", "1,000", "1,500", "2,000"]
    assert texts(root, "chart-label") == ["Followers"]


def test_short_ranges_are_labelled_by_day_long_ones_by_month():
    def chart(start, days):
        points = [(start + datetime.timedelta(days=i), i) for i in range(days)]
        return parse(line_chart(points, title="t", description="d", y_label="y"))

    def dates(root):  # the labels under the plot
        below = [
            e for e in find(root, "text", "chart-tick") if float(e.get("y")) > baseline(root) + 10
        ]
        return [e.text for e in below]

    assert dates(chart(MONDAY, 5)) == ["Mar 2", "Mar 3", "Mar 4", "Mar 5", "Mar 6"]
    assert dates(chart(MONDAY - datetime.timedelta(days=3), 30)) == [
        "Mar 2",
        "Mar 9",
        "Mar 16",
        "Mar 23",
    ]  # Mondays
    two_years = ["Jan 2025", "Jul 2025", "Jan 2026", "Jul 2026"]
    assert dates(chart(datetime.date(2025, 1, 1), 730)) == two_years
    with override("sv"):
        assert dates(chart(MONDAY, 2)) == ["2 mar", "3 mar"]
        assert dates(chart(datetime.date(2025, 1, 1), 730))[:2] == ["jan 2025", "jul 2025"]


def test_the_target_is_a_dashed_labelled_line_inside_the_range():
    chart = line_chart(
        weekly(100, 300), title="t", description="d", y_label="y", target=Decimal("1800")
    )
    root = parse(chart)

    (goal,) = find(root, "line", "chart-target")
    assert goal.get("stroke-dasharray")
    assert goal.get("y1") == goal.get("y2")
    assert texts(root, "chart-target-label") == ["Goal: 1,800"]
    assert "2,000" in texts(root, "chart-tick")  # the axis reaches the goal
    assert find(parse(line(100, 300)), "line", "chart-target") == []


# Odd data


ODD = {
    "empty": [],
    "all gaps": [None, None, None],
    "single point": [5],
    "all equal": [7, 7, 7],
    "all zero": [0, 0, 0],
    "huge": [10**9, 2 * 10**9, None, 10**9],
    "negative growth": [-50, 20, -10],
    "floats and decimals": [0.5, Decimal("1.25"), float("nan"), 2],
}


@pytest.mark.parametrize("values", ODD.values(), ids=ODD.keys())
def test_odd_data_still_draws(values):
    charts = [
        line(*values),
        line_chart(weekly(*values), title="t", description="d", y_label="y", target=10),
        bar_chart(
            [(str(i), v) for i, v in enumerate(values)], title="t", description="d", y_label="y"
        ),
        sparkline(values, label="l"),
    ]

    for chart in charts:
        root = parse(chart)
        for element in root.iter():
            for name, value in element.attrib.items():
                assert "nan" not in value.lower() and "inf" not in value.lower(), name


@pytest.mark.parametrize("values", [[], [None, None]], ids=["empty", "all gaps"])
def test_no_figures_say_so(values):
    assert texts(parse(line(*values)), "chart-nodata") == ["no data"]
    assert texts(parse(sparkline(values, label="l")), "chart-nodata") == ["no data"]
    assert find(parse(line(*values)), "path", "chart-line") == []


def test_a_single_point_is_a_dot_in_the_middle():
    root = parse(line(42))

    (dot,) = find(root, "circle", "chart-dot")
    assert float(dot.get("cx")) > 200


def test_two_years_of_daily_figures_stay_one_line():
    chart = line_chart(
        [(datetime.date(2025, 1, 1) + datetime.timedelta(days=i), i % 90) for i in range(730)],
        title="t",
        description="d",
        y_label="y",
    )

    assert len(find(parse(chart), "path", "chart-line")) == 1
    assert len(chart.rows) == 730


# Bars


def test_a_bar_without_figures_is_absent_and_a_zero_bar_has_no_height():
    chart = bars(("Facebook", 1200), ("Instagram", None), ("X", 0))
    root = parse(chart)

    rects = find(root, "rect", "chart-bar")
    assert len(rects) == 2
    zero = rects[1]
    assert float(zero.get("height")) == 0
    assert float(zero.get("y")) == baseline(root)
    assert float(rects[0].get("height")) > 0
    assert texts(root, "chart-value") == ["1,200", "0"]
    assert texts(root, "chart-nodata") == ["no data"]
    assert chart.rows == [("Facebook", "1,200"), ("Instagram", "—"), ("X", "0")]


def test_negative_bars_go_down_from_zero():
    root = parse(bars(("Growth", 50), ("Loss", -30)))

    up, down = find(root, "rect", "chart-bar")
    (zero_line,) = find(root, "line", "chart-zero")
    zero_y = float(zero_line.get("y1"))
    assert float(up.get("y")) + float(up.get("height")) == pytest.approx(zero_y, abs=0.1)
    assert float(down.get("y")) == pytest.approx(zero_y, abs=0.1)


def test_labels_too_long_for_every_bar_label_every_nth_bar_ending_with_the_last():
    chart = bars(*[(f"2026-{m:02}-01", m) for m in range(1, 41)])
    labels = [t for t in texts(parse(chart), "chart-tick") if t.startswith("2026-")]

    assert 1 < len(labels) < len(chart.rows)
    assert labels[-1] == chart.rows[-1][0]  # the latest bar is always labelled
    assert len(chart.rows) == 40  # the table keeps every one


# Sparklines and numbers


def test_trend_label():
    values = [1200, *[1300] * 10, 1450]

    assert trend_label(values, "Followers") == "Followers over 12 weeks: from 1,200 to 1,450"
    assert trend_label([None, 5, None], "Posts", period="month") == (
        "Posts over 3 months: 5 (2 without data)"
    )
    assert trend_label([None], "Posts") == "Posts: no data"
    with override("sv"):
        assert trend_label(values, "Följare") == (
            "Följare under 12 veckor: från 1\xa0200 till 1\xa0450"
        )


def test_a_sparkline_is_a_named_picture_with_gaps_and_its_last_point_marked():
    label = trend_label([1200, 1250, None, 1300, 1450], "Followers")
    root = parse(sparkline([1200, 1250, None, 1300, 1450], label=label))

    assert root.get("role") == "img"
    assert root.get("aria-label") == label
    assert root.get("aria-hidden") is None
    lines = find(root, "polyline", "chart-line")
    assert [len(p.get("points").split()) for p in lines] == [2, 2]
    (end,) = find(root, "circle", "chart-end")
    assert lines[-1].get("points").split()[-1] == f"{end.get('cx')},{end.get('cy')}"


def test_numbers_follow_the_language():
    assert [format_value(v) for v in (1234, 1234.5678, 3.0, None, 10**9)] == [
        "1,234",
        "1,234.57",
        "3",
        "—",
        "1,000,000,000",
    ]
    with override("sv"):
        assert format_value(1234.5678) == "1\xa0234,57"
        assert texts(parse(line(100, 1900)), "chart-tick")[2] == "1\xa0000"


@pytest.mark.parametrize("language", ["en", "sv"])
def test_figures_and_dates_are_written_as_djangos_formatters_write_them(language):
    # charts.py writes them itself, for speed: the same text as number_format and
    # date_format, for every kind of figure a chart meets.
    values = [0, 7, -7, 999, 1000, -1234567, 10**15, 10**17, 0.5, -0.25, 0.004, -0.004]
    values += [1234.5678, 99999.995, 12.3, 1e-7, 1e16 + 2, 2.5e20, Decimal("1234.565"), 3.0]
    days = [datetime.date(2026, 1, 9), datetime.date(999, 12, 31), datetime.date(2026, 11, 28)]
    with override(language):
        for value in values:
            rounded = round(float(value), 2)
            rounded = int(rounded) if rounded == int(rounded) else rounded
            assert format_value(value) == number_format(rounded, force_grouping=True), value
        write = _date_formatter("SHORT_DATE_FORMAT")
        assert [write(day) for day in days] == [
            date_format(day, "SHORT_DATE_FORMAT") for day in days
        ]


# The template


def test_the_partial_shows_the_picture_and_the_figures_as_a_table():
    chart = line(1200, None, 1450)

    html = render_to_string("metrics/_chart.html", {"chart": chart})

    assert "<figure" in html and "<figcaption" in html
    assert str(chart.svg) in html
    assert "<summary>Show the figures as a table</summary>" in html
    assert "<caption>Followers</caption>" in html
    assert '<th scope="col">Date</th>' in html
    assert '<th scope="col" class="text-end">Followers</th>' in html
    assert '<tr><th scope="row">2026-03-09</th><td class="text-end">—</td></tr>' in html
    with override("sv"):
        html = render_to_string("metrics/_chart.html", {"chart": chart})
    assert "Visa siffrorna som tabell" in html


def test_the_partial_escapes_the_table():
    chart = bars(("<b>bold</b>", 1))

    html = render_to_string("metrics/_chart.html", {"chart": chart})

    assert "<b>" not in html
    assert '<th scope="col">Category</th>' in html
