-- name: Root user activity
-- description: Everything the root user did; root should almost never be used.
SELECT eventTime, recipientAccountId, eventSource, eventName, sourceIPAddress, userAgent, errorCode,
       eventID
FROM $EDS_ID
WHERE eventTime >= '$START' AND eventTime < '$END'
  AND userIdentity.type = 'Root'
ORDER BY eventTime DESC
