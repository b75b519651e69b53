"""Amazon Athena over the trail's S3 bucket: the CloudTrail table in Glue (create, recognise, list), Lake SQL
translated to the table's types with partition pruning, and the query lifecycle over a boto3 Athena client.

UI-free, like `trailtui.lake`: it never imports the TUI or the commands.
"""

ENGINE = "athena"
