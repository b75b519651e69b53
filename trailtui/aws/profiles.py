"""AWS profiles and Regions exactly as botocore sees them: the config and credentials files (including
AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE), SSO, assume-role and credential_process profiles, and
the standard environment (AWS_PROFILE, AWS_REGION, AWS_DEFAULT_REGION, AWS_ENDPOINT_URL...). Nothing here
parses those files itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ProfileInfo:
    name: str
    region: str | None
    kind: str  # sso, assume-role, process, keys, other

    @property
    def label(self) -> str:
        return f"{self.name}  ({self.region or 'no Region'}, {self.kind})"


def _kind(config: dict[str, Any]) -> str:
    if "sso_session" in config or "sso_start_url" in config:
        return "sso"
    if "role_arn" in config:
        return "assume-role"
    if "credential_process" in config:
        return "process"
    if "aws_access_key_id" in config:
        return "keys"
    return "other"


def list_profiles() -> list[ProfileInfo]:
    import botocore.session

    session = botocore.session.Session()
    profiles = session.full_config.get("profiles", {})
    out = []
    for name in session.available_profiles:
        config = profiles.get(name, {})
        out.append(ProfileInfo(name, config.get("region"), _kind(config)))
    return out


def regions(service: str = "cloudtrail") -> list[str]:
    import botocore.session

    return sorted(botocore.session.Session().get_available_regions(service))


def fuzzy_score(query: str, text: str) -> int | None:
    """How well `query`'s characters appear in order in `text` (higher is better), or None if they don't.
    Consecutive and word-start matches score more, as in most fuzzy pickers."""
    if not query:
        return 0
    q, t = query.lower(), text.lower()
    score, pos, last = 0, 0, -2
    for ch in q:
        found = t.find(ch, pos)
        if found < 0:
            return None
        score += 3 if found == last + 1 else 1
        if found == 0 or not t[found - 1].isalnum():
            score += 2
        last, pos = found, found + 1
    return score - len(t) // 20
