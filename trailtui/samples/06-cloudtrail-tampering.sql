-- name: CloudTrail tampering
-- description: Trails stopped, deleted or changed, and event selectors narrowed: someone hiding their tracks.
SELECT eventTime, recipientAccountId, userIdentity.arn AS actor, eventName,
       element_at(requestParameters, 'name') AS trail, sourceIPAddress, userAgent, errorCode, eventID
FROM $EDS_ID
WHERE eventTime >= '$START' AND eventTime < '$END'
  AND eventSource = 'cloudtrail.amazonaws.com'
  AND eventName IN ('StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors',
                    'DeleteEventDataStore', 'StopEventDataStoreIngestion')
ORDER BY eventTime DESC
