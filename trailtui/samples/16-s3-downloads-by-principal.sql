-- name: S3 downloads by principal and bucket
-- description: GetObject data events per principal, bucket and address: bulk downloads stand out.
SELECT userIdentity.arn AS principal, element_at(requestParameters, 'bucketName') AS bucket,
       sourceIPAddress, count(*) AS objects, min(eventTime) AS first, max(eventTime) AS last
FROM $EDS_ID
WHERE eventTime >= '$START' AND eventTime < '$END'
  AND eventSource = 's3.amazonaws.com' AND eventName = 'GetObject'
GROUP BY 1, 2, 3
ORDER BY objects DESC
LIMIT 100
