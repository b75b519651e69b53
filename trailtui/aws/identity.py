"""Who a connection is: STS GetCallerIdentity, and the account alias where iam:ListAccountAliases is allowed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Identity:
    account: str
    arn: str
    user_id: str
    alias: str | None = None


def fetch_identity(sts: Any, iam: Any | None = None) -> Identity:
    who = sts.get_caller_identity()
    alias = None
    if iam is not None:
        try:
            aliases = iam.list_account_aliases().get("AccountAliases") or []
            alias = aliases[0] if aliases else None
        except Exception:
            alias = None
    return Identity(who["Account"], who["Arn"], who.get("UserId", ""), alias)
