"""Ctrl-C during a DuckDB call."""

from __future__ import annotations


def is_interrupt(exc: BaseException) -> bool:
    """DuckDB turns a Ctrl-C (SIGINT) that arrives during one of its calls into InterruptException, an
    ordinary Exception (a RuntimeError "Query interrupted" when it lands while rows are fetched): taken for
    a bad file, it was recorded as a rejection and the import went on with the next files."""
    return type(exc).__name__ == "InterruptException" or (
        isinstance(exc, RuntimeError) and "Query interrupted" in str(exc)
    )
