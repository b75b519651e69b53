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
        return f"Access denied: {msg}"
    if code in ("UnrecognizedClientException", "InvalidSignatureException", "InvalidClientTokenId"):
        return f"The credentials were rejected ({code}): {msg}"
    if code in ("ThrottlingException", "Throttling", "TooManyRequestsException"):
        return f"CloudTrail is throttling requests (retries exhausted): {msg}"
    if code:
        return f"{code}: {msg}"
    return msg or name
