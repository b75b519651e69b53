-- name: Console sign-ins without MFA
-- description: Successful AWS console sign-ins where MFA was not used, by user and source address.
SELECT eventTime, recipientAccountId, userIdentity.type, userIdentity.arn, sourceIPAddress,
       element_at(responseElements, 'ConsoleLogin') AS result, eventID
FROM $EDS_ID
WHERE eventTime >= '$START' AND eventTime < '$END'
  AND eventName = 'ConsoleLogin'
  AND element_at(additionalEventData, 'MFAUsed') = 'No'
  AND element_at(responseElements, 'ConsoleLogin') = 'Success'
ORDER BY eventTime DESC
