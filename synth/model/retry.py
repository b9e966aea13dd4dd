"""Retrying model requests: what is worth retrying, how long to wait, when to give up."""

from __future__ import annotations

import email.utils
import random
import re
import time
from typing import Callable, TypeVar

import openai

T = TypeVar("T")
MAX_RETRY_AFTER_S = 120.0  # a server asking for a longer wait is waited on this long, then tried again
CONTEXT_LENGTH = re.compile(
    r"context length|context window|context_length|maximum.{0,40}length|too many tokens|"
    r"prompt is too long|input.{0,30}too long|exceeds? the max",
    re.I,
)


class ModelError(RuntimeError):
    """A request failed for good: the rollout or proposal ends with this as its error."""

    reason = "model_error"


class ContextLengthExceeded(ModelError):
    reason = "context_length"


class Retryable(Exception):
    """A reply that is not usable but may be next time (a malformed body, say)."""


def retry_after_s(exc: BaseException) -> float | None:
    """The server's own wait hint: Retry-After-Ms, or Retry-After in seconds or as an HTTP date."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None) or {}
    try:
        if headers.get("retry-after-ms"):
            return float(headers["retry-after-ms"]) / 1000
        value = headers.get("retry-after")
        if not value:
            return None
        try:
            return float(value)
        except ValueError:
            when = email.utils.parsedate_to_datetime(value)
            return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def classify(exc: BaseException) -> str | None:
    """A short fault name when the request may be retried, None when it must not be."""
    if isinstance(exc, openai.APITimeoutError):
        return "timeout"
    if isinstance(exc, openai.APIConnectionError):
        return "connection"
    if isinstance(exc, openai.APIStatusError):
        code = exc.status_code
        if code == 429 or code >= 500 or code == 408:
            return f"http_{code}"
        return None
    if isinstance(exc, Retryable):
        return "bad_response"
    return None


def describe(exc: BaseException) -> str:
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}: {exc.message}"
    return f"{type(exc).__name__}: {exc}"


def call_with_retry(
    fn: Callable[[], T],
    *,
    max_attempts: int,
    backoff_s: float,
    max_backoff_s: float,
    on_retry: Callable[[str, float], None],
    rng: random.Random,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run `fn`, retrying transient failures with exponential backoff and jitter (or the server's
    Retry-After, up to MAX_RETRY_AFTER_S). Context-length errors and other client errors are not retried."""
    for attempt in range(1, max_attempts + 1):
        try:
            return fn()
        except Exception as exc:
            if (
                isinstance(exc, openai.APIStatusError)
                and exc.status_code in (400, 413)
                and CONTEXT_LENGTH.search(describe(exc))
            ):
                raise ContextLengthExceeded(describe(exc)) from None
            fault = classify(exc)
            if fault is None:
                if isinstance(exc, openai.AuthenticationError):
                    raise ModelError(f"{describe(exc)} (check the API key variable)") from None
                if isinstance(exc, openai.APIError):
                    raise ModelError(describe(exc)) from None
                raise
            if attempt == max_attempts:
                raise ModelError(f"gave up after {max_attempts} attempts; last: {describe(exc)}") from None
            hint = retry_after_s(exc)
            delay = (
                min(MAX_RETRY_AFTER_S, hint)
                if hint is not None
                else min(max_backoff_s, backoff_s * 2 ** (attempt - 1)) * (0.5 + rng.random() / 2)
            )
            on_retry(fault, delay)
            sleep(delay)
    raise AssertionError("unreachable")
