"""The CloudTrail Lake domain, UI-free: the query lifecycle over any boto3 CloudTrail client, result pages,
value formatting and errors. It never imports the local lake or the TUI."""
