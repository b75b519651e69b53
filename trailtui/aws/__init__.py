"""Which AWS account trailtui talks to: profiles, regions, sessions and caller identity, as botocore
resolves them."""
