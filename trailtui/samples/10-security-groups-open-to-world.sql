-- name: Security groups opened to the world
-- description: Ingress rules that allow 0.0.0.0/0 or ::/0, with the port.
SELECT eventTime, recipientAccountId, userIdentity.arn AS actor, element_at(requestParameters, 'groupId') AS groupId,
       element_at(requestParameters, 'ipPermissions') AS rules, sourceIPAddress, eventID
FROM $EDS_ID
WHERE eventTime >= '$START' AND eventTime < '$END'
  AND eventName = 'AuthorizeSecurityGroupIngress'
  AND (element_at(requestParameters, 'ipPermissions') LIKE '%0.0.0.0/0%'
       OR element_at(requestParameters, 'ipPermissions') LIKE '%::/0%')
ORDER BY eventTime DESC
