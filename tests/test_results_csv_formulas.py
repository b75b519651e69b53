"""A CSV export made from delivered result files neutralises formulas exactly as the export page by page does,
whatever the fields hold: separators, quotes, line breaks and formula characters next to each other."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trailtui.lake import delivered
from trailtui.lake.export import write_results
from trailtui.lake.results import QueryState, ResultPage
from trailtui.local.delivery import Spool, csv_record

# Characters that start a formula (ASCII and fullwidth), field and row separators, quotes, and plain text.
_VALUE = st.none() | st.text(alphabet=list(",\n\r\"'=+-@\t\uff1d\uff0b\uff0d\uff20 ab\u00e9"), max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.lists(_VALUE, min_size=3, max_size=3), min_size=1, max_size=40),
    block=st.sampled_from([16, 64, 1 << 20]),
)
def test_delivered_export_neutralises_formulas_as_the_paged_export(
    rows: list[list[str | None]], block: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(delivered, "BLOCK", block)  # rows cut across reads
    columns = ["a", "b", "c"]
    spool = Spool(columns)
    target = tmp_path / f"out-{block}.csv"
    try:
        spool.write([csv_record(r) for r in rows])
        assert delivered.export_delivered(spool.finish(), target) == len(rows)
    finally:
        spool.discard()
    paged = io.StringIO(newline="")
    page = ResultPage(columns=columns, rows=rows, total=len(rows), next_token=None, status="FINISHED")
    write_results([page], paged, "csv", QueryState("q", "FINISHED"))
    assert target.read_bytes() == paged.getvalue().encode()
