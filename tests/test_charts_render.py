"""The chart renderer's decisions, as pure functions (trailtui/tui/chart.py): which chart a result gets, the
bucket size for a span and a width, what the drawing holds, and that event text stays text."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from rich.cells import cell_len

from trailtui.tui.chart import (
    NOTHING_TO_CHART,
    BarsPlan,
    TimePlan,
    bars,
    choose_chart,
    histogram,
    histogram_summary,
    render_bars,
    render_histogram,
)


def _times(start: datetime, span: timedelta, n: int) -> list[str | None]:
    return [(start + span * i / max(1, n - 1)).strftime("%Y-%m-%d %H:%M:%S.000") for i in range(n)]


T0 = datetime(2026, 11, 26, 10, 7, 3)


@pytest.mark.parametrize(
    ("span", "width", "step"),
    [
        (timedelta(minutes=50), 80, "1 minute"),
        (timedelta(hours=3), 80, "5 minutes"),
        (timedelta(hours=3), 200, "1 minute"),
        (timedelta(hours=20), 80, "30 minutes"),
        (timedelta(days=2), 80, "1 hour"),
        (timedelta(days=7), 80, "3 hours"),
        (timedelta(days=7), 200, "1 hour"),
        (timedelta(days=30), 80, "12 hours"),
        (timedelta(days=60), 80, "1 day"),
        (timedelta(days=700), 80, "30 days"),
    ],
)
def test_bucket_size_follows_the_span_and_the_width(span: timedelta, width: int, step: str) -> None:
    values = _times(T0, span, 500)
    hist = histogram("eventTime", values, width - 8)
    assert hist is not None and hist.step_name == step
    assert len(hist.buckets) <= width - 8
    assert sum(b.count for b in hist.buckets) == 500 == hist.counted
    # buckets start on round times and cover every value
    assert all(b.start.second == 0 for b in hist.buckets)
    assert hist.buckets[0].start <= T0 < hist.buckets[0].start + hist.step


def test_counts_per_bucket_and_what_is_not_a_time() -> None:
    values: list[str | None] = [
        "2026-11-26 10:00:00.000",
        "2026-11-26 10:59:59.999",
        "2026-11-26T12:30:00Z",  # ISO 8601 as well
        None,
        "not a time",
        "2026-11-26 12:00:00.000",
        *_times(datetime(2026, 11, 26, 13), timedelta(minutes=1), 2),
    ]
    hist = histogram("t", values, 5)  # 30-minute buckets would be 7
    assert hist is not None and hist.step_name == "1 hour"
    assert [(b.start.hour, b.count) for b in hist.buckets] == [(10, 2), (11, 0), (12, 2), (13, 2)]
    assert hist.skipped == 2 and hist.counted == 6
    summary = histogram_summary(hist, 2, 8, 20).plain
    assert "t per 1 hour: 6 rows of 20, 11-26 10:00 – 11-26 14:00 UTC (2 without a time)" in summary
    assert "▶ 2026-11-26 12:00 – 13:00: 2" in summary
    assert histogram("t", [None, "x"], 10) is None


def test_the_drawing_fits_and_scales() -> None:
    values = _times(T0, timedelta(days=7), 3000)
    for width, height in ((74, 15), (150, 40)):
        hist = histogram("eventTime", values, width - 8)
        assert hist is not None
        lines = render_histogram(hist, width, height).plain.splitlines()
        assert len(lines) == height and all(cell_len(line) <= width for line in lines)
        assert lines[0].lstrip().startswith(f"{hist.peak.count:,} ┤")
        assert lines[-3].lstrip().startswith("0 ┤") and "└" in lines[-2]
        assert "11-27 00:00" in lines[-1]  # day boundaries labelled
    # a bucket's column is as tall as its share of the peak: the peak reaches the top line
    hist = histogram("t", ["2026-11-26 10:00:00"] * 8 + ["2026-11-26 11:00:00"] * 4, 10)
    assert hist is not None
    lines = render_histogram(hist, 40, 10).plain.splitlines()
    top, low = lines[0], lines[6]  # 8 lines of columns: the 4-count bucket fills the lower half
    assert 0 < top.count("█") < low.count("█")
    assert lines[3].count("█") == top.count("█") and lines[4].count("█") == low.count("█")


def test_which_chart() -> None:
    rows: list[list[str | None]] = [["GetObject", "3118"], ["Decrypt", "1816"]]
    assert choose_chart(["eventName", "n"], rows, 0) == BarsPlan(1)
    listing: list[list[str | None]] = [["2026-11-26 10:00:00.000", "GetObject", "444455556666"]]
    # recipientAccountId is digits, not a count; the cursor's column, then eventTime
    assert choose_chart(["eventTime", "eventName", "recipientAccountId"], listing, 1) == TimePlan(0)
    two_times: list[list[str | None]] = [["2026-11-26 10:00:00.000", "x", "2026-11-20 09:00:00.000"]]
    assert choose_chart(["eventTime", "eventName", "creationDate"], two_times, 2) == TimePlan(2)
    assert choose_chart(["eventTime", "eventName", "creationDate"], two_times, 1) == TimePlan(0)
    by_hour: list[list[str | None]] = [["2026-11-26 10:00:00.000", "12"], ["2026-11-26 11:00:00.000", "3"]]
    assert choose_chart(["hour", "n"], by_hour, 0) == BarsPlan(1)  # counts per hour: the counts
    assert choose_chart(["eventName", "eventSource"], [["a", "b"]], 0) == NOTHING_TO_CHART
    assert "no rows" in str(choose_chart(["eventName"], [], 0))


def test_bars_are_proportional_and_labels_stay_text() -> None:
    rows: list[list[str | None]] = [
        ["[b]x[/b]\x1b[31m", "400"],
        ["b\u202eevil", "100"],
        [None, "0"],
        ["half", "12.5"],
    ]
    chart = bars(["label", "n"], rows, 1)
    lines = render_bars(chart, 60).plain.splitlines()
    assert len(lines) == 4 and all(cell_len(line) <= 60 for line in lines)
    assert lines[0].startswith("[b]x[/b]\\x1b[31m") and "\x1b" not in "".join(lines)
    assert "\\u202e" in lines[1] and "\u202e" not in lines[1]
    assert lines[2].startswith("null") and lines[2].rstrip().endswith(" 0")
    assert lines[3].rstrip().endswith("12.50")
    full = [line.count("█") for line in lines]
    assert full[0] == 4 * full[1] or abs(full[0] - 4 * full[1]) <= 1
    assert full[2] == 0
