"""The demo organization's events: deterministic, day by day, anchored to a day.

Everything is drawn from seeded random generators, one per day, so the same anchor always gives the same
events and any day can be generated on its own.
"""

from __future__ import annotations

import bisect
import itertools
import random
import uuid
from datetime import datetime, timedelta
from typing import Any

from trailtui.local.demo.actions import ACTIONS, DetailBuilder, denied_message
from trailtui.local.demo.incident import incident_events
from trailtui.local.demo.org import (
    ACCOUNTS,
    AGENTS,
    DAYS,
    DEFAULT_EVENTS,
    REGION_WEIGHTS,
    REGIONS,
    SEED,
    Principal,
    iso,
    principals,
    random_uuid,
)

_HOUR_CUM = list(
    itertools.accumulate([1, 1, 1, 1, 1, 1, 2, 6, 9, 10, 10, 9, 8, 9, 10, 10, 9, 7, 4, 2, 2, 1, 1, 1])
)
_REGION_CUM = list(itertools.accumulate(REGION_WEIGHTS))


def diurnal_hour(rng: random.Random, human: bool) -> int:
    if not human:
        return int(rng.random() * 24)
    return bisect.bisect(_HOUR_CUM, rng.random() * _HOUR_CUM[-1])


class DemoGenerator:
    """Deterministic events of the demo organization for the thirty days before `anchor`."""

    def __init__(self, anchor: datetime, count: int = DEFAULT_EVENTS, seed: int = SEED) -> None:
        self.end = anchor.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
        self.start = self.end - timedelta(days=DAYS)
        self.count = count
        self.seed = seed
        self.rng = random.Random(seed)
        self.builder = DetailBuilder(self.rng)
        self.principals = principals()
        self.day = 0  # the day being generated, counted from `start`

    def event(
        self,
        p: Principal,
        when: datetime,
        action: tuple[str, str, bool, str, float, str],
        region: str,
        ip: str | None = None,
        agent: str | None = None,
        error: tuple[str, str] | None = None,
    ) -> dict[str, Any]:
        rng = self.rng
        source, name, read_only, category, _, kind = action
        console = (
            p.human and "console" in p.agents and rng.random() < 0.3 if agent is None else agent == "console"
        )
        ident = p.identity(rng, when, console=console)
        req, resp, res, extra = self.builder.build(kind, p.account, region)
        if p.kind == "AWSService":
            src_ip = ua = p.name
        else:
            src_ip = ip or rng.choice(p.ip)
            ua = AGENTS[
                agent
                or ("console" if console else rng.choice([a for a in p.agents if a != "console"] or ["cli"]))
            ]
        ev: dict[str, Any] = {
            "eventVersion": "1.11" if category == "Management" else "1.10",
            "userIdentity": ident,
            "eventTime": iso(when),
            "eventSource": source,
            "eventName": name,
            "awsRegion": region,
            "sourceIPAddress": src_ip,
            "userAgent": ua,
        }
        if error is None and p.human and rng.random() < 0.012:
            error = denied_message(ident, source, name)
        if error:
            ev["errorCode"], ev["errorMessage"] = error
            resp = None
        ev["requestParameters"] = req
        ev["responseElements"] = resp
        if extra:
            ev["additionalEventData"] = extra
        ev["requestID"] = random_uuid(rng) if source != "s3.amazonaws.com" else f"{rng.getrandbits(64):016X}"
        ev["eventID"] = random_uuid(rng)
        ev["readOnly"] = read_only
        if res:
            ev["resources"] = res
        ev["eventType"] = "AwsApiCall"
        ev["managementEvent"] = category == "Management"
        ev["recipientAccountId"] = p.account
        ev["eventCategory"] = category
        if p.kind != "AWSService":
            ev["tlsDetails"] = {
                "tlsVersion": "TLSv1.3",
                "cipherSuite": "TLS_AES_128_GCM_SHA256",
                "clientProvidedHostHeader": f"{source.split('.')[0]}.{region}.amazonaws.com",
            }
        if console and p.kind != "AWSService":
            ev["sessionCredentialFromConsole"] = "true"
        return ev

    def _sign_in(
        self, p: Principal, when: datetime, ip: str | None = None, failed: bool = False
    ) -> dict[str, Any]:
        rng = self.rng
        ident = p.identity(rng, when, console=True)
        ident.pop("accessKeyId", None)
        ident.pop("sessionContext", None)
        ev = {
            "eventVersion": "1.09",
            "userIdentity": ident,
            "eventTime": iso(when),
            "eventSource": "signin.amazonaws.com",
            "eventName": "ConsoleLogin",
            "awsRegion": "us-east-1",
            "sourceIPAddress": ip or rng.choice(p.ip),
            "userAgent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/130.0.0.0 Safari/537.36",
            "requestParameters": None,
            "responseElements": {"ConsoleLogin": "Failure" if failed else "Success"},
            "additionalEventData": {
                "LoginTo": "https://console.aws.amazon.com/console/home",
                "MobileVersion": "No",
                "MFAUsed": "Yes" if p.mfa else "No",
            },
            "eventID": random_uuid(rng),
            "readOnly": False,
            "eventType": "AwsConsoleSignIn",
            "managementEvent": True,
            "recipientAccountId": p.account,
            "eventCategory": "Management",
            "tlsDetails": {
                "tlsVersion": "TLSv1.3",
                "cipherSuite": "TLS_AES_128_GCM_SHA256",
                "clientProvidedHostHeader": "signin.aws.amazon.com",
            },
        }
        if failed:
            ev["errorMessage"] = "Failed authentication"
        return ev

    def _service_event(self, acct: str, when: datetime, region: str) -> dict[str, Any]:
        rng = self.rng
        key_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        return {
            "eventVersion": "1.11",
            "userIdentity": {"accountId": acct, "invokedBy": "kms.amazonaws.com"},
            "eventTime": iso(when),
            "eventSource": "kms.amazonaws.com",
            "eventName": "RotateKey",
            "awsRegion": region,
            "sourceIPAddress": "kms.amazonaws.com",
            "userAgent": "kms.amazonaws.com",
            "requestParameters": None,
            "responseElements": None,
            "additionalEventData": {"keyId": f"arn:aws:kms:{region}:{acct}:key/{key_id}"},
            "eventID": random_uuid(rng),
            "readOnly": False,
            "resources": [
                {
                    "accountId": acct,
                    "type": "AWS::KMS::Key",
                    "ARN": f"arn:aws:kms:{region}:{acct}:key/{key_id}",
                }
            ],
            "eventType": "AwsServiceEvent",
            "managementEvent": True,
            "recipientAccountId": acct,
            "eventCategory": "Management",
            "serviceEventDetails": {"keyRotationStatus": "Completed"},
        }

    def _service_call(self, acct: str, when: datetime, region: str) -> dict[str, Any]:
        svc = Principal(
            "AWSService",
            acct,
            self.rng.choice(("lambda.amazonaws.com", "ec2.amazonaws.com", "cloudformation.amazonaws.com")),
            (),
            (),
        )
        ev = self.event(svc, when, ACTIONS[1], region)
        ev["userIdentity"] = {"type": "AWSService", "invokedBy": svc.name}
        ev.pop("tlsDetails", None)
        ev["sharedEventID"] = random_uuid(self.rng)
        return ev

    def when(self, human: bool) -> datetime:
        """A time on the day being generated, at an hour people (or machines) are busy."""
        rng = self.rng
        return self.start + timedelta(
            days=self.day, hours=diurnal_hour(rng, human), seconds=int(rng.random() * 3600)
        )

    def region(self) -> str:
        return REGIONS[bisect.bisect(_REGION_CUM, self.rng.random() * _REGION_CUM[-1])]

    def quota(self, day: int) -> int:
        """How many events `day` holds: the count spread evenly, the remainder on the first days."""
        return self.count // DAYS + (1 if day < self.count % DAYS else 0)

    def day_events(self, day: int) -> list[dict[str, Any]]:
        """The events of one day (0 is the oldest), in the order generated.

        Each day draws from its own generator, seeded by the seed and the day, so any day can be made alone
        and in any order (the demo build makes the newest days first) and still comes out the same.
        """
        rng = self.rng = self.builder.rng = random.Random(f"{self.seed}/{day}")
        self.day = day
        people = self.principals
        base = self.start + timedelta(days=day)
        out: list[dict[str, Any]] = []
        # Sign-ins: humans sign in most working days; a few failures; carol never uses MFA.
        for p in people:
            if p.human and p.kind != "Root" and "console" in p.agents and rng.random() < 0.8:
                hour = timedelta(hours=diurnal_hour(rng, True), minutes=rng.randrange(60))
                if rng.random() < 0.05:
                    out.append(self._sign_in(p, base + hour - timedelta(minutes=2), failed=True))
                out.append(self._sign_in(p, base + hour))
        if day in (3, 17):
            root = next(p for p in people if p.kind == "Root")
            out.append(self._sign_in(root, base + timedelta(hours=10, minutes=4)))
            out.append(
                self.event(
                    root,
                    base + timedelta(hours=10, minutes=9),
                    ("iam.amazonaws.com", "ListUsers", True, "Management", 0, "none"),
                    "us-east-1",
                    agent="console",
                )
            )
        # Service events and AWS services acting on the accounts' behalf.
        for _ in range(6):
            out.append(self._service_event(rng.choice(ACCOUNTS), self.when(False), self.region()))
        for _ in range(40):
            out.append(self._service_call(rng.choice(ACCOUNTS), self.when(False), self.region()))
        if day == DAYS - 4:
            out.extend(incident_events(self))
        # API calls fill the rest of the day's quota.
        weights = [a[4] * (3.0 if not p.human else 1.0) for p in people for a in ACTIONS]
        pairs = [(p, a) for p in people for a in ACTIONS]
        for p, a in rng.choices(pairs, weights=weights, k=max(0, self.quota(day) - len(out))):
            if p.kind == "Root":
                p = people[0]
            out.append(self.event(p, self.when(p.human), a, self.region()))
        return out

    def events(self) -> list[dict[str, Any]]:
        """Every event of the thirty days, oldest day first."""
        return [ev for day in range(DAYS) for ev in self.day_events(day)]
