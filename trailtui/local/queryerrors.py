"""A failed query's error as Lake words it: DuckDB's message without its class prefixes, in Trino's words
where they are known (translate/messages.py), and Lake's own words for running out of memory."""

from __future__ import annotations

import re

from trailtui.local.errors import InvalidQueryStatement
from trailtui.local.translate.messages import trino_message

EXHAUSTED = "Query exhausted resources at this scale factor"  # Lake's wording for running out of memory
# DuckDB's errors that the query's own SQL causes when it starts.
_THE_QUERYS_FAULT = ("BinderException", "ConversionException", "CatalogException", "ParserException")


def message(exc: BaseException) -> str:
    if isinstance(exc, MemoryError):  # Python itself ran out (serve's memory cap): the same failure
        return EXHAUSTED
    text = str(exc).strip() or "The query failed."
    for prefix in (
        "Binder Error: ",
        "Conversion Error: ",
        "Invalid Input Error: ",
        "Out of Memory Error: ",
        "Parser Error: ",
        "Catalog Error: ",
        "Not implemented Error: ",
        "Permission Error: ",
    ):
        text = text.replace(prefix, "")
    if "Out of Memory" in str(exc) or "memory limit" in text.lower():
        return EXHAUSTED
    # The Trino functions written in Python fail with ValueError and Trino's words (trino_functions).
    text = text.replace("Python exception occurred while executing the UDF: ValueError: ", "")
    text = text.splitlines()[0][:1000] if text else "The query failed."
    text = trino_message(text)
    if re.search(r'"eventData"', text, re.IGNORECASE):
        text += (
            " (eventData is a column of AWS Config configuration-item stores; local stores hold "
            "CloudTrail events)"
        )
    return text


def classify(exc: BaseException, stopping: bool) -> BaseException:
    """A DuckDB error raised when the query starts: bind and conversion errors are the query's fault, unless
    the query was being stopped (cancelled, timed out)."""
    if not stopping and type(exc).__name__ in _THE_QUERYS_FAULT:
        return InvalidQueryStatement(message(exc))
    return exc
