-- name: Events per hour
-- description: A timeline: calls and errors per hour.
SELECT date_trunc('hour', eventTime) AS hour, count(*) AS events, count(errorCode) AS errors,
       count(DISTINCT userIdentity.arn) AS principals
FROM $EDS_ID
WHERE eventTime >= '$START' AND eventTime < '$END'
GROUP BY 1
ORDER BY 1
