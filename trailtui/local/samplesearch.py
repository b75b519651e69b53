"""SearchSampleQueries over the sample queries shipped with trailtui (trailtui/samples/*.sql).

Lake ranks its samples by semantic similarity; here relevance is the share of the phrase's words found in a
sample (its name and description count more than its SQL), a number between 0 and 1 like Lake's.
"""

from __future__ import annotations

import re
from typing import Any

_WORD = re.compile(r"[a-z0-9]+")
_STOP = {"a", "an", "the", "of", "in", "on", "for", "and", "or", "to", "by", "with", "who", "what", "which"}


def _words(text: str) -> set[str]:
    return {w.rstrip("s") if len(w) > 3 else w for w in _WORD.findall(text.lower())} - _STOP


def search_samples(phrase: str) -> list[dict[str, Any]]:
    """The samples matching any word of `phrase`, most relevant first."""
    from trailtui.lake.library import samples

    wanted = _words(phrase)
    if not wanted:
        return []
    scored = []
    for sample in samples():
        title = _words(sample.name + " " + sample.description)
        body = _words(sample.sql)
        score = sum(1.0 if w in title else 0.5 if w in body else 0.0 for w in wanted) / len(wanted)
        if score > 0:
            scored.append((round(score, 3), sample))
    scored.sort(key=lambda item: (-item[0], item[1].name))
    return [
        {"Name": s.name, "Description": s.description, "SQL": s.sql, "Relevance": score}
        for score, s in scored
    ]
