-- name: Lambda code changes
-- description: Function code or configuration updated, by whom and from where.
SELECT eventTime, recipientAccountId, userIdentity.arn AS actor, eventName,
       element_at(requestParameters, 'functionName') AS function, sourceIPAddress, eventID
FROM $EDS_ID
WHERE eventTime >= '$START' AND eventTime < '$END'
  AND eventSource = 'lambda.amazonaws.com' AND eventName LIKE 'Update%'
ORDER BY eventTime DESC
