"""The API model's upper bounds on a request's values, which botocore's validator leaves unchecked.

botocore validates what a client is about to send: types, required members, minimum lengths and values.
Maxima it leaves to the service, which refuses a value past them. The local lake is the service, so without
this a client of `serve` could store a 1 MB event data store ID, 2,000 query parameters or a tag value of
any size (a JSON body is at most 1 MiB, but nothing bounded one value within it).

Some lists the model leaves unbounded (an advanced event selector's Equals values), and botocore's validator
walks every item of them at some 7 microseconds each (more for each error it words): a 1 MiB body of 200,000
empty lists as selector values took 1.5 s of CPU before it was refused, any client with the key could ask
for that in a loop. So a request's values are counted first, stopping past MAX_VALUES, before anything else
looks at them.
"""

from __future__ import annotations

from typing import Any

from trailtui.local.errors import InvalidParameter

# The largest legitimate request (five selectors holding Lake's 500 condition values, 50 tags) holds about
# 1,200 values (strings, numbers, lists and objects): four times that, and never a cost to worry about.
MAX_VALUES = 5_000

# Checked by their operations, in Lake's words (InvalidQueryStatementException for a long statement).
OWN_CHECKS = {"QueryStatement", "Name"}


def past_maxima(value: Any, shape: Any, path: str = "") -> list[str]:
    """Every value of a request past its shape's maximum, in botocore's words for a minimum ("Invalid length
    for parameter X, value: N, valid max length: M"); values of the wrong type are left to botocore."""
    errors: list[str] = []
    bound = shape.metadata.get("max")
    kind = shape.type_name
    # Lengths only: numbers past their maxima are refused by each operation, in Lake's own words.
    sized = isinstance(value, {"string": str, "list": list, "map": dict}.get(kind, ()))
    if bound is not None and sized and len(value) > bound:
        # The container only, not what is in it: it is refused whole.
        return [f"Invalid length for parameter {path}, value: {len(value)}, valid max length: {bound}"]
    if kind == "structure" and isinstance(value, dict):
        for name, member in shape.members.items():
            if name in value and not (not path and name in OWN_CHECKS):
                errors += past_maxima(value[name], member, f"{path}.{name}" if path else name)
    elif kind == "list" and isinstance(value, list):
        for i, item in enumerate(value):
            errors += past_maxima(item, shape.member, f"{path}[{i}]")
    elif kind == "map" and isinstance(value, dict):
        for key, item in value.items():
            errors += past_maxima(item, shape.value, f"{path}.{key}")
    return errors


def check_value_count(params: Any) -> None:
    """Refuse a request holding more than MAX_VALUES values, having looked at MAX_VALUES of them at most."""
    seen = 0
    pending: list[Any] = [params]
    while pending:
        value = pending.pop()
        seen += 1
        if seen > MAX_VALUES:
            raise InvalidParameter(
                f"The request holds more than {MAX_VALUES:,} values; no CloudTrail request needs as many."
            )
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
