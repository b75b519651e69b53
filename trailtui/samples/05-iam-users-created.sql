-- name: IAM users, keys and passwords created
-- description: New IAM users, access keys and console passwords: the usual ways to persist in an account.
SELECT eventTime, recipientAccountId, userIdentity.arn AS actor, eventName,
       element_at(requestParameters, 'userName') AS userName, sourceIPAddress, userAgent, errorCode,
       eventID
FROM $EDS_ID
WHERE eventTime >= '$START' AND eventTime < '$END'
  AND eventSource = 'iam.amazonaws.com'
  AND eventName IN ('CreateUser', 'CreateAccessKey', 'CreateLoginProfile', 'UpdateLoginProfile')
ORDER BY eventTime DESC
