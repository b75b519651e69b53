-- name: Unusual source addresses
-- description: Public source addresses seen on at most two days, with the principals that used them.
SELECT sourceIPAddress, count(*) AS calls, count(DISTINCT date(eventTime)) AS days,
       min(eventTime) AS firstSeen, max(eventTime) AS lastSeen,
       array_join(array_sort(array_agg(DISTINCT userIdentity.arn)), ', ') AS principals
FROM $EDS_ID
WHERE eventTime >= '$START' AND eventTime < '$END'
  AND regexp_like(sourceIPAddress, '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$')
  AND NOT regexp_like(sourceIPAddress, '^(10\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.)')
GROUP BY 1
HAVING count(DISTINCT date(eventTime)) <= 2
ORDER BY calls DESC
LIMIT 50
