-- name: Activity by account and Region
-- description: How many calls each account made in each Region, with errors: where things happen.
SELECT recipientAccountId, awsRegion, count(*) AS events, count(errorCode) AS errors,
       count(DISTINCT userIdentity.arn) AS principals
FROM $EDS_ID
WHERE eventTime >= '$START' AND eventTime < '$END'
GROUP BY 1, 2
ORDER BY events DESC
