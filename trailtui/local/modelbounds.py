"""The API model's upper bounds on a request's values, which botocore's validator leaves unchecked.

botocore validates what a client is about to send: types, required members, minimum lengths and values.
Maxima it leaves to the service, which refuses a value past them. The local lake is the service, so without
this a client of `serve` could store a 1 MB event data store ID, 2,000 query parameters or a tag value of
any size (a JSON body is at most 1 MiB, but nothing bounded one value within it).
"""

from __future__ import annotations

from typing import Any

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
