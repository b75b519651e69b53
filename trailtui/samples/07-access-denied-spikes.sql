-- name: AccessDenied spikes
-- description: Denied calls per principal and hour, busiest first: probing, or a broken deployment.
SELECT date_trunc('hour', eventTime) AS hour, userIdentity.arn AS principal, count(*) AS denied,
       count(DISTINCT eventName) AS apis, arbitrary(sourceIPAddress) AS someSourceIp
FROM $EDS_ID
WHERE eventTime >= '$START' AND eventTime < '$END'
  AND errorCode IN ('AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation', 'UnauthorizedOperation')
GROUP BY 1, 2
ORDER BY denied DESC
LIMIT 100
