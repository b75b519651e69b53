"""The embedded local lake: DuckDB stores of CloudTrail events behind the CloudTrail Lake API."""

# The local lake answers as one AWS account in one Region: the demo organization's management account,
# where an organization event data store lives. `trailtui serve --account-id` answers as another.
LOCAL_ACCOUNT_ID = "111122223333"
LOCAL_REGION = "us-east-1"
