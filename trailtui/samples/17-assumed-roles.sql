-- name: Roles assumed, by whom
-- description: AssumeRole calls per caller and role.
SELECT coalesce(userIdentity.arn, userIdentity.invokedBy) AS caller, element_at(requestParameters, 'roleArn') AS role,
       count(*) AS times, count(errorCode) AS failures
FROM $EDS_ID
WHERE eventTime >= '$START' AND eventTime < '$END'
  AND eventSource = 'sts.amazonaws.com' AND eventName = 'AssumeRole'
GROUP BY 1, 2
ORDER BY times DESC
