"""Charts of a result, drawn with Unicode block characters: a time histogram (counts per minute, hour or day
bucket) and horizontal bars for a (label, count) aggregate.

A small renderer of our own rather than plotext/textual-plotext: we need exact control of the labels (event
data is attacker text: sanitised, never markup), bucket sizes chosen from the span, counts printed beside the
bars, and a selected bucket to read; textual-plotext's last release predates Textual 8 and plots through
ANSI strings. The drawing is about a hundred lines. Everything here is pure: rows in, Rich Text out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from rich.cells import cell_len
from rich.text import Text

from trailtui.tui.safe import cell_text, fit
from trailtui.units import rows

EIGHTHS_UP = " ▁▂▃▄▅▆▇█"  # a column's top cell, in eighths of a cell
EIGHTHS_RIGHT = " ▏▎▍▌▋▊▉█"  # a bar's last cell
BAR_STYLE = "bold cyan"
SELECTED_STYLE = "bold yellow"
AXIS_STYLE = "bright_black"

SECOND, MINUTE, HOUR, DAY = timedelta(seconds=1), timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
DAY_SECONDS = 86_400
# Bucket sizes, smallest first: the histogram takes the smallest that fits the width.
STEPS: tuple[tuple[timedelta, str], ...] = (
    (MINUTE, "1 minute"),
    (5 * MINUTE, "5 minutes"),
    (15 * MINUTE, "15 minutes"),
    (30 * MINUTE, "30 minutes"),
    (HOUR, "1 hour"),
    (3 * HOUR, "3 hours"),
    (6 * HOUR, "6 hours"),
    (12 * HOUR, "12 hours"),
    (DAY, "1 day"),
    (7 * DAY, "7 days"),
    (30 * DAY, "30 days"),
    (365 * DAY, "365 days"),
)

# Round intervals for the x axis's labels; times are UTC, counted from the Unix epoch (a Thursday: weekly
# labels fall on Thursdays, which is as good as any day for a label).
EPOCH = datetime(1970, 1, 1)
LABEL_EVERY = tuple(
    [MINUTE * m for m in (1, 5, 10, 15, 30)]
    + [HOUR * h for h in (1, 2, 3, 6, 12)]
    + [DAY * d for d in (1, 2, 7, 28)]
)


def parse_time(value: str | None) -> datetime | None:
    """A result's timestamp (`2026-11-25 14:03:12.000`, ISO 8601 with T and Z), as naive UTC."""
    if not value or len(value) < 10 or not value[:4].isdigit() or value[4] != "-":
        return None
    try:
        t = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if t.tzinfo is not None:
        t = (t - t.utcoffset()).replace(tzinfo=None)  # type: ignore[operator]
    return t


def parse_number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        n = float(value)
    except ValueError:
        return None
    return n if math.isfinite(n) else None


def is_time_column(rows: list[list[str | None]], col: int, sample: int = 50) -> bool:
    """Every non-null value among the first `sample` is a timestamp (and there is one)."""
    seen = [r[col] for r in rows[:sample] if col < len(r) and r[col] is not None]
    return bool(seen) and all(parse_time(v) is not None for v in seen)


def is_number_column(rows: list[list[str | None]], col: int) -> bool:
    seen = [r[col] for r in rows if col < len(r) and r[col] is not None]
    return bool(seen) and all(parse_number(v) is not None for v in seen)


# -- the time histogram -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    start: datetime
    count: int


@dataclass(frozen=True)
class Histogram:
    column: str
    step: timedelta
    step_name: str
    buckets: tuple[Bucket, ...]
    counted: int  # rows with a time in the column
    skipped: int  # rows without one (NULL, not a time)

    @property
    def peak(self) -> Bucket:
        return max(self.buckets, key=lambda b: b.count)

    def label(self, bucket: Bucket, short: bool = False) -> str:
        """The bucket's start, as precise as its size needs (`short`: for the x axis)."""
        if self.step >= DAY:
            return bucket.start.strftime("%m-%d" if short else "%Y-%m-%d")
        if short and self.step < HOUR and self.buckets[0].start.date() == self.buckets[-1].start.date():
            return bucket.start.strftime("%H:%M")
        return bucket.start.strftime("%m-%d %H:%M" if short else "%Y-%m-%d %H:%M")

    def span(self, bucket: Bucket) -> str:
        end = bucket.start + self.step
        if self.step >= DAY:
            return f"{self.label(bucket)} – {end.strftime('%Y-%m-%d')}"
        same_day = end.date() == bucket.start.date()
        return f"{self.label(bucket)} – {end.strftime('%H:%M' if same_day else '%m-%d %H:%M')}"


def seconds_of(values: list[str | None]) -> list[int]:
    """The values that are times, as whole seconds since the epoch (UTC): parsed once per chart, since
    parsing is most of the cost at 100,000 rows."""
    out = []
    iso = datetime.fromisoformat
    for v in values:
        if v is None or len(v) < 10 or v[4] != "-":  # a year first: not every number is a time
            continue
        try:
            t = iso(v)
        except ValueError:
            continue
        if t.tzinfo is not None:
            t = t.astimezone(UTC).replace(tzinfo=None)
        out.append((t - EPOCH) // SECOND)  # 4x faster than .timestamp()
    return out


def _floor(sec: int, step: int) -> int:
    """The start of the bucket holding `sec`: steps under a day are counted from midnight (every step
    divides a day); longer ones start on the day of the first value."""
    return sec - sec % (step if step < DAY_SECONDS else DAY_SECONDS)


def histogram(column: str, values: list[str | None], max_buckets: int) -> Histogram | None:
    """Counts of `values` per bucket (see histogram_of)."""
    return histogram_of(column, seconds_of(values), len(values), max_buckets)


def histogram_of(column: str, seconds: list[int], rows: int, max_buckets: int) -> Histogram | None:
    """Counts per bucket, with the smallest bucket size (from STEPS) giving at most `max_buckets` buckets
    over the span; None if there is no time."""
    if not seconds:
        return None
    lo, hi = min(seconds), max(seconds)
    step, step_name = STEPS[-1]
    for size, size_name in STEPS:
        s = size // SECOND
        if (_floor(hi, s) - _floor(lo, s)) // s + 1 <= max(1, max_buckets):
            step, step_name = size, size_name
            break
    width = step // SECOND
    first = _floor(lo, width)
    n = (_floor(hi, width) - first) // width + 1
    counts = [0] * n
    for sec in seconds:
        counts[(_floor(sec, width) - first) // width] += 1
    start = EPOCH + first * SECOND
    buckets = tuple(Bucket(start + i * step, c) for i, c in enumerate(counts))
    return Histogram(column, step, step_name, buckets, len(seconds), rows - len(seconds))


def y_axis_width(hist: Histogram) -> int:
    return len(f"{hist.peak.count:,}") + 1


def max_buckets_for(width: int, peak_digits: int = 6) -> int:
    """How many one-cell columns fit beside a y axis."""
    return max(1, width - peak_digits - 2)


def render_histogram(hist: Histogram, width: int, height: int, selected: int = -1) -> Text:
    """Columns of counts over time: y axis (0 .. peak), x axis with bucket labels, `selected` highlighted.
    Uses `height` lines (at least 5) and `width` cells."""
    ya = y_axis_width(hist)
    plot_w = max(1, width - ya - 1)
    n = len(hist.buckets)
    bar_w = max(1, min(8, plot_w // n))
    gap = 1 if bar_w >= 3 else 0
    plot_h = max(2, height - 2)
    peak = max(1, hist.peak.count)
    out = Text(no_wrap=True, overflow="crop")
    for row in range(plot_h):
        level = plot_h - row  # this line shows eighths (level-1)*8 .. level*8
        if row == 0:
            tick = f"{hist.peak.count:,}"
        elif row == plot_h - 1:
            tick = "0"
        elif plot_h >= 6 and row == plot_h // 2:
            tick = f"{round(peak * (plot_h - row - 0.5) / plot_h):,}"
        else:
            tick = ""
        out.append(tick.rjust(ya - 1) + " ", AXIS_STYLE)
        out.append("┤" if tick else "│", AXIS_STYLE)
        for i, b in enumerate(hist.buckets):
            eighths = round(b.count / peak * plot_h * 8)
            if b.count and eighths == 0:
                eighths = 1  # a bucket with events never looks empty
            fill = max(0, min(8, eighths - (level - 1) * 8))
            style = SELECTED_STYLE if i == selected else BAR_STYLE
            out.append(EIGHTHS_UP[fill] * (bar_w - gap) + " " * gap, style)
        out.append("\n")
    out.append(" " * ya + "└" + "─" * min(plot_w, n * bar_w) + "\n", AXIS_STYLE)
    # Labels under the columns of round times (every hour, 6 hours, day...), as many as fit apart.
    sample = hist.label(hist.buckets[0], short=True)
    every = next(
        (
            i
            for i in LABEL_EVERY
            if i >= hist.step and i % hist.step == timedelta(0) and i // hist.step * bar_w >= len(sample) + 2
        ),
        None,
    )
    labels = [" "] * (ya + 1 + n * bar_w + 20)
    next_free = 0
    for i, b in enumerate(hist.buckets):
        if every is not None and (b.start - EPOCH) % every:
            continue
        x = ya + 1 + i * bar_w
        text = hist.label(b, short=True)
        if x >= next_free and x + len(text) <= width:
            labels[x : x + len(text)] = list(text)
            next_free = x + len(text) + 2
    out.append("".join(labels).rstrip()[:width], AXIS_STYLE)
    return out


def histogram_summary(hist: Histogram, selected: int, loaded: int, total: int | None) -> Text:
    """The lines above the chart: what is counted, in which buckets, and the selected bucket's count."""
    first, last = hist.buckets[0], hist.buckets[-1]
    of = f" of {total:,}" if total is not None and total > loaded else ""
    end = last.start + hist.step
    short = "%m-%d %H:%M" if first.start.year == end.year else "%Y-%m-%d %H:%M"
    head = (
        f"{cell_text(hist.column)} per {hist.step_name}: {rows(hist.counted)}{of}, "
        f"{first.start.strftime(short)} – {end.strftime(short)} UTC"
    )
    if hist.skipped:
        head += f" ({hist.skipped:,} without a time)"
    b = hist.buckets[selected] if 0 <= selected < len(hist.buckets) else hist.peak
    which = "▶" if 0 <= selected < len(hist.buckets) else "peak"
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append(head + "\n")
    out.append(f"{which} {hist.span(b)}: ", SELECTED_STYLE)
    out.append(f"{b.count:,}", "bold")
    return out


# -- bars for an aggregate --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bars:
    label_column: str
    value_column: str
    bars: tuple[tuple[str, float], ...]  # label (sanitised), value


def bars(columns: list[str], rows: list[list[str | None]], value_col: int) -> Bars:
    """(label, value) per row: the value column, and the other columns joined as the label."""
    others = [i for i in range(len(columns)) if i != value_col]
    out = []
    for r in rows:
        v = parse_number(r[value_col] if value_col < len(r) else None)
        label = " · ".join(cell_text(r[i] if i < len(r) else None) for i in others)
        out.append((label, v if v is not None else 0.0))
    return Bars(" · ".join(columns[i] for i in others), columns[value_col], tuple(out))


def _number(v: float) -> str:
    return f"{int(v):,}" if v == int(v) else f"{v:,.2f}"


def render_bars(chart: Bars, width: int) -> Text:
    """One line per row: label, bar (length in eighths of a cell, relative to the largest), value."""
    out = Text(no_wrap=True, overflow="crop")
    if not chart.bars:
        return out
    numbers = [_number(v) for _, v in chart.bars]
    value_w = max(len(s) for s in numbers)
    label_w = max(cell_len(label) for label, _ in chart.bars)
    label_w = max(4, min(label_w, max(10, width // 3), 48))
    bar_w = max(1, width - label_w - value_w - 3)
    peak = max((v for _, v in chart.bars), default=0.0) or 1.0
    for i, ((label, v), shown) in enumerate(zip(chart.bars, numbers, strict=True)):
        eighths = max(0, round(v / peak * bar_w * 8)) if v > 0 else 0
        if v > 0 and eighths == 0:
            eighths = 1
        full, part = divmod(eighths, 8)
        bar = "█" * full + (EIGHTHS_RIGHT[part] if part else "")
        out.append(fit(label, label_w) + " ")
        out.append("│", AXIS_STYLE)
        out.append(bar.ljust(bar_w), BAR_STYLE)
        out.append(" " + shown.rjust(value_w))
        if i < len(chart.bars) - 1:
            out.append("\n")
    return out


# -- which chart for a result -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TimePlan:
    column: int


@dataclass(frozen=True)
class BarsPlan:
    value_column: int


NOTHING_TO_CHART = (
    "Nothing to chart: put the grid's cursor on a time column (eventTime), or run an aggregate "
    "such as SELECT eventName, count(*) ... GROUP BY eventName."
)


def choose_chart(columns: list[str], rows: list[list[str | None]], cursor: int) -> TimePlan | BarsPlan | str:
    """The chart a user means. Bars for an aggregate: at most four columns, the last holding numbers and
    not named like an ID (`eventName, count(*)`, `date_trunc('hour', eventTime), count(*)`; a listing's
    recipientAccountId is numbers too). Else a histogram of the time column under the cursor, else of
    eventTime (or the first time column)."""
    if not columns or not rows:
        return "Nothing to chart: the result has no rows yet."
    last = len(columns) - 1
    if 2 <= len(columns) <= 4 and not columns[last].lower().endswith("id") and is_number_column(rows, last):
        return BarsPlan(last)
    cursor = max(0, min(cursor, last))
    if is_time_column(rows, cursor):
        return TimePlan(cursor)
    times = [i for i in range(len(columns)) if is_time_column(rows, i)]
    named = [i for i in times if columns[i].lower() == "eventtime"]
    if named or times:
        return TimePlan((named or times)[0])
    return NOTHING_TO_CHART
