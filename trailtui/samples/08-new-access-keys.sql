-- name: New access keys
-- description: Access keys created, who created them and for whom.
SELECT eventTime, recipientAccountId, userIdentity.arn AS creator,
       element_at(requestParameters, 'userName') AS forUser,
       json_extract_scalar(element_at(responseElements, 'accessKey'), '$.accessKeyId') AS accessKeyId,
       sourceIPAddress, eventID
FROM $EDS_ID
WHERE eventTime >= '$START' AND eventTime < '$END'
  AND eventName = 'CreateAccessKey' AND errorCode IS NULL
ORDER BY eventTime DESC
