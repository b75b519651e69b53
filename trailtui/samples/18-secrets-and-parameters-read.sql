-- name: Secrets and parameters read
-- description: Who read which Secrets Manager secrets and SSM parameters.
SELECT userIdentity.arn AS principal, eventName,
       coalesce(element_at(requestParameters, 'secretId'), element_at(requestParameters, 'name')) AS item,
       count(*) AS reads, max(eventTime) AS lastRead
FROM $EDS_ID
WHERE eventTime >= '$START' AND eventTime < '$END'
  AND eventName IN ('GetSecretValue', 'BatchGetSecretValue', 'GetParameter', 'GetParameters', 'ListSecrets')
GROUP BY 1, 2, 3
ORDER BY reads DESC
