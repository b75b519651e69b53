"""The `/` filter on the loaded rows: typed in one burst, narrowed and widened again (backspace), with the
grid sorted; the rows shown are always exactly those containing the text, in the grid's order."""

from __future__ import annotations

from typing import Any

from tests.explorer import explorer
from trailtui.local.demo import DEMO_STORE_ID, INCIDENT_IP
from trailtui.tui.grid_model import GridModel

WEEK = (
    f"SELECT eventTime, recipientAccountId, eventName, sourceIPAddress, errorCode FROM {DEMO_STORE_ID} "
    f"WHERE eventTime >= '2026-11-20 00:00:00' LIMIT 100000"
)


def shown(value: str | None) -> str:
    return "null" if value is None else value  # as the grid draws a NULL


def containing(rows: list[list[str | None]], text: str) -> list[list[str | None]]:
    return [r for r in rows if any(text.lower() in shown(v).lower() for v in r)]


async def test_typing_narrowing_and_backspace_show_exactly_the_matching_rows(demo_lake: Any) -> None:
    async with explorer((120, 40)) as ex:
        await ex.ready()
        q = await ex.run(WEEK)
        await ex.press("f4", "slash", *INCIDENT_IP)
        assert ex.shown_rows == containing(q.rows, INCIDENT_IP)
        await ex.press("backspace", "backspace", "backspace")
        assert ex.shown_rows == containing(q.rows, INCIDENT_IP[:-3])
        await ex.press("backspace", "backspace", "x")  # widened, then a new branch
        assert ex.shown_rows == containing(q.rows, INCIDENT_IP[:-5] + "x")
        await ex.press("escape")
        assert ex.shown_rows == q.rows and "shown by the filter" not in ex.results_title


async def test_typing_null_finds_the_rows_showing_null(demo_lake: Any) -> None:
    """A NULL cell shows as `null`: a user looking for the calls with no errorCode types null."""
    async with explorer((80, 24)) as ex:
        await ex.ready()
        q = await ex.run(
            f"SELECT eventName, errorCode FROM {DEMO_STORE_ID} WHERE sourceIPAddress = '{INCIDENT_IP}'"
        )
        await ex.press("f4", "slash", *"NULL")
        found = [r for r in q.rows if r[1] is None]
        assert found and len(found) < len(q.rows) and ex.shown_rows == found
        assert f"({len(found):,} shown by the filter)" in ex.results_title
        assert "null" in ex.grid_line(1)  # what the user sees in the row the filter kept
        await ex.press("enter", "l", "minus")  # errorCode hidden: its nulls no longer count, nor do the rows
        assert ex.shown_rows == []


async def test_filter_on_a_sorted_grid_keeps_the_sort(demo_lake: Any) -> None:
    async with explorer((120, 40)) as ex:
        await ex.ready()
        q = await ex.run(WEEK)
        await ex.press("f4", "l", "l", "s", "s", "slash", *"AccessDenied".lower())
        expected = sorted(containing(q.rows, "accessdenied"), key=lambda r: r[2].casefold(), reverse=True)
        assert len(expected) > 1 and ex.shown_rows == expected
        assert f"({len(expected):,} shown by the filter)" in ex.results_title


def test_incremental_filter_agrees_with_a_plain_scan() -> None:
    """Any sequence of filter texts (extending, shortening, changing, case) against the plain answer,
    with pages arriving in between and the sort switched on and off."""
    words = ["Alpha", "alphabet", "BETA", "gamma\tdelta", None, "ALP", "pha", "étage", "Ünïcode"]
    rows = [[words[(i * 7) % 9], words[(i * 3 + 1) % 9], str(i)] for i in range(300)]
    model = GridModel()
    model.add_rows(["a", "b", "n"], rows[:100])
    loaded = 100
    steps = [
        "a",
        "al",
        "alp",
        "alph",
        "alpha",
        "alph",
        "al",
        "a",
        "",
        "p",
        "ph",
        "pha",
        "ha",
        "BET",
        "bet",
        "é",
        "ét",
        "ü",
        "9",
        "99",
        "9",
        "\t",
        "a\td",
        "nul",
        "null",
    ]
    for n, text in enumerate(steps):
        if n % 5 == 4 and loaded < len(rows):
            model.add_rows(["a", "b", "n"], rows[loaded : loaded + 50])
            loaded += 50
        if n % 7 == 6:
            model.cycle_sort(n % 3)
        model.set_filter(text)
        expected = [
            i for i in range(loaded) if text == "" or any(text.lower() in shown(v).lower() for v in rows[i])
        ]
        assert sorted(model.view) == expected, text
        if model.sort_column is None:
            assert model.view == expected
