-- name: Administrator rights granted
-- description: AdministratorAccess attached to a user, role or group: rare, and worth a look every time.
SELECT eventTime, recipientAccountId, userIdentity.arn AS actor, eventName,
       coalesce(element_at(requestParameters, 'userName'), element_at(requestParameters, 'roleName'),
                element_at(requestParameters, 'groupName')) AS grantee,
       sourceIPAddress, userAgent, eventID
FROM $EDS_ID
WHERE eventTime >= '$START' AND eventTime < '$END'
  AND eventName IN ('AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy')
  AND element_at(requestParameters, 'policyArn') LIKE '%AdministratorAccess'
ORDER BY eventTime DESC
