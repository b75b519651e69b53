-- name: Discovery across Regions
-- description: Principals that called Describe/List APIs in several Regions within an hour: reconnaissance.
SELECT date_trunc('hour', eventTime) AS hour, userIdentity.arn AS principal, count(DISTINCT awsRegion) AS regions,
       count(*) AS calls, arbitrary(sourceIPAddress) AS someSourceIp
FROM $EDS_ID
WHERE eventTime >= '$START' AND eventTime < '$END'
  AND (eventName LIKE 'Describe%' OR eventName LIKE 'List%')
GROUP BY 1, 2
HAVING count(DISTINCT awsRegion) >= 3
ORDER BY regions DESC, calls DESC
