-- name: Rare user agents
-- description: Client software seen in few calls: old SDKs and hand-made tools stand out from the usual fleet.
SELECT userAgent, count(*) AS calls, count(DISTINCT userIdentity.arn) AS principals,
       array_join(array_sort(array_agg(DISTINCT sourceIPAddress)), ', ') AS sourceIps
FROM $EDS_ID
WHERE eventTime >= '$START' AND eventTime < '$END'
GROUP BY 1
HAVING count(*) < 500
ORDER BY calls
LIMIT 50
