-- name: Errors by service
-- description: Error codes per service, most frequent first.
SELECT eventSource, errorCode, count(*) AS events, count(DISTINCT userIdentity.arn) AS principals
FROM $EDS_ID
WHERE eventTime >= '$START' AND eventTime < '$END' AND errorCode IS NOT NULL
GROUP BY 1, 2
ORDER BY events DESC
