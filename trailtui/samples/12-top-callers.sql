-- name: Top callers
-- description: The principals making the most calls, with their error rate and how many APIs they use.
SELECT userIdentity.arn AS principal, count(*) AS calls, count(errorCode) AS errors,
       count(DISTINCT eventName) AS apis, count(DISTINCT sourceIPAddress) AS sourceIps
FROM $EDS_ID
WHERE eventTime >= '$START' AND eventTime < '$END' AND userIdentity.arn IS NOT NULL
GROUP BY 1
ORDER BY calls DESC
LIMIT 50
