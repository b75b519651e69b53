-- name: EC2 instances launched
-- description: RunInstances calls, with the instance type and who launched them.
SELECT eventTime, recipientAccountId, awsRegion, userIdentity.arn AS actor,
       element_at(requestParameters, 'instanceType') AS instanceType, sourceIPAddress, errorCode, eventID
FROM $EDS_ID
WHERE eventTime >= '$START' AND eventTime < '$END' AND eventName = 'RunInstances'
ORDER BY eventTime DESC
