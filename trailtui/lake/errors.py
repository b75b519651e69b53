"""Plain-language explanations of the errors a CloudTrail client meets, for the CLI and the TUI."""

from __future__ import annotations

from typing import Any


def error_code(exc: BaseException) -> str | None:
    response: Any = getattr(exc, "response", None)
    if isinstance(response, dict):
        return (response.get("Error") or {}).get("Code")
    return None


def error_message(exc: BaseException) -> str:
    response: Any = getattr(exc, "response", None)
    if isinstance(response, dict):
        return (response.get("Error") or {}).get("Message") or str(exc)
    return str(exc)


_NOT_CLOUDTRAIL = {"GetCallerIdentity": "sts", "ListAccountAliases": "iam"}
# Athena CloudTrail tables (trailtui.athena) call Athena, Glue and S3.
_NOT_CLOUDTRAIL.update(
    dict.fromkeys(
        (
            "StartQueryExecution",
            "GetQueryExecution",
            "GetQueryResults",
            "StopQueryExecution",
            "GetWorkGroup",
        ),
        "athena",
    )
)
_NOT_CLOUDTRAIL.update(
    dict.fromkeys(
        (
            "GetDatabases",
            "GetDatabase",
            "GetTables",
            "GetTable",
            "CreateDatabase",
            "CreateTable",
            "UpdateTable",
        ),
        "glue",
    )
)
_NOT_CLOUDTRAIL.update(dict.fromkeys(("ListObjectsV2", "GetObject", "HeadObject"), "s3"))
_SERVICE_NAMES = {"cloudtrail": "CloudTrail", "athena": "Athena", "glue": "Glue", "s3": "S3"}


def _service_of(exc: BaseException) -> str:
    """The IAM prefix of the failed call: every call trailtui makes is CloudTrail's, but for two."""
    return _NOT_CLOUDTRAIL.get(getattr(exc, "operation_name", "") or "", "cloudtrail")


_TRANSIENT_CODES = frozenset(
    {"ThrottlingException", "Throttling", "TooManyRequestsException", "ServiceUnavailable", "InternalFailure"}
)
_TRANSIENT_NAMES = frozenset({"EndpointConnectionError", "ConnectionClosedError", "ReadTimeoutError"})


def is_transient(exc: BaseException) -> bool:
    """Would the same read succeed a moment later (throttling, a 5xx, a dropped connection)?"""
    response: Any = getattr(exc, "response", None)
    status = (
        (response.get("ResponseMetadata") or {}).get("HTTPStatusCode") if isinstance(response, dict) else None
    )
    return (
        error_code(exc) in _TRANSIENT_CODES
        or type(exc).__name__ in _TRANSIENT_NAMES
        or (isinstance(status, int) and status >= 500)
    )


def explain(exc: BaseException, profile: str | None = None) -> str:
    """One or two sentences that say what went wrong and what to do about it."""
    name = type(exc).__name__
    code = error_code(exc)
    msg = error_message(exc)
    login = f"aws sso login --profile {profile}" if profile else "aws sso login"
    if code in ("ExpiredTokenException", "ExpiredToken", "RequestExpired") or name in (
        "TokenRetrievalError",
        "UnauthorizedSSOTokenError",
        "SSOTokenLoadError",
    ):
        return f"Your AWS session has expired. Sign in again with: {login}"
    if name in ("NoCredentialsError", "PartialCredentialsError"):
        return (
            "No AWS credentials were found. Configure a profile (aws configure) or choose one with --profile."
        )
    if name == "NoRegionError":
        where = f"to profile {profile} in ~/.aws/config" if profile else "to your AWS config (aws configure)"
        return f"No AWS Region is set. Add one {where}, set AWS_REGION, or choose one with --region."
    if name == "ProfileNotFound":
        return f"{msg}. List profiles with: aws configure list-profiles"
    if name in (
        "EndpointConnectionError",
        "ConnectTimeoutError",
        "ConnectionClosedError",
        "ReadTimeoutError",
    ):
        return f"Cannot reach the endpoint: {msg}"
    if code in ("AccessDeniedException", "AccessDenied", "UnauthorizedOperation"):
        operation = getattr(exc, "operation_name", None)
        service = _service_of(exc)
        if operation and f":{operation}" not in msg:
            return f"Access denied: {msg} (this needs the {service}:{operation} permission)"
        return f"Access denied: {msg}"
    if msg.startswith(("Signature expired:", "Signature not yet current:")):
        # AWS (and `trailtui serve`) refuse a signature more than 15 minutes from their clock: the machine's
        # clock is wrong, not the credentials.
        return f"This machine's clock is more than 15 minutes off, so AWS refused the request ({msg}). Set the clock right (NTP) and try again."
    if code in ("UnrecognizedClientException", "InvalidSignatureException", "InvalidClientTokenId"):
        return f"The credentials were rejected ({code}): {msg}"
    if code in ("ThrottlingException", "Throttling", "TooManyRequestsException"):
        service = _SERVICE_NAMES.get(_service_of(exc), "AWS")
        return f"{service} is throttling requests (retries exhausted): {msg}"
    if code:
        return f"{code}: {msg}"
    return msg or name
