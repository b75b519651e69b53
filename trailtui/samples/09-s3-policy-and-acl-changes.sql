-- name: S3 bucket policy and ACL changes
-- description: Bucket policies, ACLs and public access blocks changed: how buckets become public.
SELECT eventTime, recipientAccountId, userIdentity.arn AS actor, eventName,
       element_at(requestParameters, 'bucketName') AS bucket, sourceIPAddress, errorCode, eventID
FROM $EDS_ID
WHERE eventTime >= '$START' AND eventTime < '$END'
  AND eventSource = 's3.amazonaws.com'
  AND eventName IN ('PutBucketPolicy', 'DeleteBucketPolicy', 'PutBucketAcl', 'PutObjectAcl',
                    'PutBucketPublicAccessBlock', 'DeleteBucketPublicAccessBlock')
ORDER BY eventTime DESC
