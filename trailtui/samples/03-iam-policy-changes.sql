-- name: IAM policy changes
-- description: Policies created, attached, put inline or deleted, with the target and the policy.
SELECT eventTime, recipientAccountId, userIdentity.arn AS actor, eventName,
       coalesce(element_at(requestParameters, 'userName'), element_at(requestParameters, 'roleName'),
                element_at(requestParameters, 'groupName')) AS target,
       coalesce(element_at(requestParameters, 'policyArn'), element_at(requestParameters, 'policyName')) AS policy,
       sourceIPAddress, errorCode, eventID
FROM $EDS_ID
WHERE eventTime >= '$START' AND eventTime < '$END'
  AND eventSource = 'iam.amazonaws.com'
  AND eventName IN ('AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy', 'PutUserPolicy', 'PutRolePolicy',
                    'PutGroupPolicy', 'CreatePolicy', 'CreatePolicyVersion', 'DeletePolicy', 'DetachUserPolicy',
                    'DetachRolePolicy')
ORDER BY eventTime DESC
