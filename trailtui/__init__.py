"""trailtui: a terminal explorer for AWS CloudTrail Lake, with an embedded local lake."""

__version__ = "0.1.0"
