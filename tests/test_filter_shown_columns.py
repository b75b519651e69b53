"""The `/` filter matches what the user sees: text in a column hidden with `-` does not count, whether the
column was hidden before the filter was typed or after; `+` brings the column and its matches back."""

from __future__ import annotations

from typing import Any

from tests.explorer import explorer
from trailtui.local.demo import DEMO_STORE_ID, INCIDENT_IP
from trailtui.tui.grid_model import GridModel

SQL = (
    f"SELECT eventTime, eventName, sourceIPAddress, errorCode FROM {DEMO_STORE_ID} "
    f"WHERE eventTime >= '2026-11-23 00:00:00' AND eventTime < '2026-11-25 00:00:00' LIMIT 5000"
)


def containing(rows: list[list[str | None]], text: str, skip: set[int]) -> list[list[str | None]]:
    return [
        r for r in rows if any(v is not None and text in v.lower() for i, v in enumerate(r) if i not in skip)
    ]


async def test_a_hidden_column_does_not_match_the_filter(demo_lake: Any) -> None:
    async with explorer((80, 24)) as ex:
        await ex.ready()
        q = await ex.run(SQL)
        ip = INCIDENT_IP.lower()
        assert containing(q.rows, ip, set()), "the incident's address is in the rows"
        await ex.press("f4", "l", "l", "minus")  # hide sourceIPAddress
        assert "sourceIPAddress" not in ex.shown_columns
        await ex.press("slash", *INCIDENT_IP)
        assert ex.shown_rows == []  # the address is only in the hidden column
        assert "(0 shown by the filter)" in ex.results_title
        await ex.press("enter", "plus")  # the column is back: so are its matches
        assert ex.shown_rows == containing(q.rows, ip, set())
        await ex.press("0", "l", "l", "minus")  # hidden while the filter is on: the rows shown follow at once
        assert ex.shown_rows == []
        await ex.press("plus", "slash", *["backspace"] * len(INCIDENT_IP), *"get")
        await ex.press("0", "l", "minus")  # eventName hidden: "get" now only in what shows
        assert ex.shown_rows == containing(q.rows, "get", {1})
        assert len(ex.shown_rows) < len(containing(q.rows, "get", set()))


def test_rows_arriving_after_a_hide_are_searched_by_what_shows() -> None:
    model = GridModel()
    model.add_rows(["a", "b"], [["x", "secret"], ["secret", "y"]])
    model.hide(1)
    model.add_rows([], [["z", "secret"], ["secret z", "w"]])
    model.set_filter("secret")
    assert [model.rows[i] for i in model.view] == [["secret", "y"], ["secret z", "w"]]
    model.add_rows([], [["q", "secret"], ["secret q", "w"]])  # a page while the filter is on
    assert [model.rows[i][0] for i in model.view] == ["secret", "secret z", "secret q"]
    model.show_all()
    assert len(model.view) == 6
