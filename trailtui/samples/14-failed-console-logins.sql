-- name: Failed console sign-ins
-- description: Console sign-ins that failed, by user and address: password guessing looks like this.
SELECT date_trunc('hour', eventTime) AS hour, userIdentity.arn AS principal, sourceIPAddress, count(*) AS failures
FROM $EDS_ID
WHERE eventTime >= '$START' AND eventTime < '$END'
  AND eventName = 'ConsoleLogin' AND element_at(responseElements, 'ConsoleLogin') = 'Failure'
GROUP BY 1, 2, 3
ORDER BY failures DESC, hour DESC
