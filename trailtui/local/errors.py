"""The CloudTrail errors the local lake answers with: the same `__type` codes and HTTP statuses as AWS."""

from __future__ import annotations


class LakeError(Exception):
    """An error the CloudTrail API returns: `code` is the `__type` clients see as Error.Code."""

    code = "ServiceException"
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_wire(self) -> dict[str, str]:
        return {"__type": self.code, "Message": self.message}


def _error(code: str, status: int = 400) -> type[LakeError]:
    return type(code.removesuffix("Exception"), (LakeError,), {"code": code, "status": status})


InvalidQueryStatement = _error("InvalidQueryStatementException")
EventDataStoreNotFound = _error("EventDataStoreNotFoundException")
EventDataStoreARNInvalid = _error("EventDataStoreARNInvalidException")
InactiveEventDataStore = _error("InactiveEventDataStoreException")
QueryIdNotFound = _error("QueryIdNotFoundException")
InactiveQuery = _error("InactiveQueryException")
MaxConcurrentQueries = _error("MaxConcurrentQueriesException")
InvalidMaxResults = _error("InvalidMaxResultsException")
InvalidNextToken = _error("InvalidNextTokenException")
InvalidParameter = _error("InvalidParameterException")
InvalidS3BucketName = _error("InvalidS3BucketNameException")
InvalidDateRange = _error("InvalidDateRangeException")
InvalidQueryStatus = _error("InvalidQueryStatusException")
EventDataStoreAlreadyExists = _error("EventDataStoreAlreadyExistsException")
EventDataStoreMaxLimitExceeded = _error("EventDataStoreMaxLimitExceededException")
InvalidEventDataStoreName = _error("InvalidParameterException")
UnsupportedOperation = _error("UnsupportedOperationException")
# Store lifecycle and imports (issue 18).
EventDataStoreTerminationProtected = _error("EventDataStoreTerminationProtectedException")
EventDataStoreHasOngoingImport = _error("EventDataStoreHasOngoingImportException")
InvalidEventDataStoreStatus = _error("InvalidEventDataStoreStatusException")
InvalidEventSelectors = _error("InvalidEventSelectorsException")
InvalidTagParameter = _error("InvalidTagParameterException")
TagsLimitExceeded = _error("TagsLimitExceededException")
ResourceTypeNotSupported = _error("ResourceTypeNotSupportedException")
AccountHasOngoingImport = _error("AccountHasOngoingImportException")
ImportNotFound = _error("ImportNotFoundException")
InvalidImportSource = _error("InvalidImportSourceException")
UnknownOperation = _error("UnknownOperationException")
ServiceUnavailable = _error("ServiceUnavailableException", 503)
InternalFailure = _error("InternalFailure", 500)
