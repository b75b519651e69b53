"""A generated demo organization: three accounts, three regions, thirty days of CloudTrail, one incident.

The demo is written as real trail log files in the organization-trail S3 layout and imported like any other
logs, so it exercises the same path as a user's own data. Everything is drawn from seeded random generators
and anchored to a day, so the same anchor always gives the same events.

- org.py: the accounts, Regions, people and machines;
- actions.py: what they do, and the details of each kind of call;
- incident.py: the story to find (see its docstring);
- generator.py: the events, day by day;
- logs.py: writing them as trail log files;
- build.py: the demo store, built newest days first.
"""

from trailtui.local.demo.build import (
    build_demo,
    demo_anchor,
    demo_is_complete,
    demo_needed,
    ensure_demo,
    lake_is_empty,
)
from trailtui.local.demo.generator import DemoGenerator
from trailtui.local.demo.logs import write_trail_logs
from trailtui.local.demo.org import (
    ACCOUNTS,
    BACKDOOR_USER,
    DAYS,
    DEFAULT_EVENTS,
    DEMO_STORE_ID,
    DEMO_STORE_NAME,
    DEV,
    INCIDENT_IP,
    INCIDENT_USER,
    MANAGEMENT,
    ORG_ID,
    PROD,
    REGIONS,
    SEED,
)

__all__ = [
    "ACCOUNTS",
    "BACKDOOR_USER",
    "DAYS",
    "DEFAULT_EVENTS",
    "DEMO_STORE_ID",
    "DEMO_STORE_NAME",
    "DEV",
    "INCIDENT_IP",
    "INCIDENT_USER",
    "MANAGEMENT",
    "ORG_ID",
    "PROD",
    "REGIONS",
    "SEED",
    "DemoGenerator",
    "build_demo",
    "demo_anchor",
    "demo_is_complete",
    "demo_needed",
    "ensure_demo",
    "lake_is_empty",
    "write_trail_logs",
]
