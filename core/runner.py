"""Runs one check on one profile, in its own guard, and applies overrides.

A check that raises, runs past the policy's time limit or returns a
malformed finding becomes an ``error`` result naming the problem; the other
checks and vendors are not affected.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import signal
import threading
import traceback
from collections.abc import Iterator, Mapping
from typing import Any

from . import dates
from .host import RegisteredCheck
from .model import DEFAULT_BANDS, CheckContext, Finding, rating_for, worst
from .results import CheckOutcome, CheckResult, outcome


class CheckTimeout(Exception):
    """Raised inside a check that ran past ``check_timeout_seconds``."""


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise CheckTimeout in the block after ``seconds`` (main thread, POSIX only).

    Elsewhere the block runs without a limit: a timer signal can only
    interrupt the main thread.
    """
    if (seconds is None or seconds <= 0 or not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()):
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise CheckTimeout(f"ran longer than the policy's limit of {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def effective_settings(rc: RegisteredCheck, policy: Mapping[str, Any]) -> dict[str, Any]:
    """A check's defaults overlaid with ``policy.checks.<id>.settings``."""
    own = ((policy.get("checks") or {}).get(rc.check.id) or {}).get("settings") or {}
    return {**dict(rc.check.defaults), **own}


def check_weight(rc: RegisteredCheck, policy: Mapping[str, Any]) -> float:
    """The policy's weight for the check, else the check's default."""
    own = (policy.get("checks") or {}).get(rc.check.id) or {}
    return float(own.get("weight", rc.check.weight))


#: How many of a failure's innermost frames a check result keeps.
TRACEBACK_FRAMES = 5


def error_outcome(message: str, traceback_lines: list[str] | None = None) -> CheckOutcome:
    """The outcome of a check that failed: no score, the reason in ``error``."""
    return outcome(status="error", summary=f"The check failed: {message}",
                   recommendations=["Report this to the plugin's authors; the check's result is unknown."],
                   error=message, traceback=traceback_lines)


def last_frames(exc: BaseException, limit: int = TRACEBACK_FRAMES) -> list[str]:
    """The innermost ``limit`` frames of ``exc``'s traceback, one line each: ``file:line in function: code``."""
    frames = traceback.extract_tb(exc.__traceback__)[-limit:]
    return [f"{f.filename}:{f.lineno} in {f.name}" + (f": {f.line.strip()}" if f.line else "") for f in frames]


def skipped_outcome() -> CheckOutcome:
    """The outcome of a check the policy turned off."""
    return outcome(status="skipped", summary="Turned off by the policy.")


def run_check(rc: RegisteredCheck, profile: Mapping[str, Any], as_of: dt.date,
              policy: Mapping[str, Any], settings: Mapping[str, Any],
              screening: Any = None, warnings: list[str] | None = None,
              engagement: Mapping[str, Any] | None = None, aware: bool = False) -> CheckOutcome:
    """Run one check; return what it found (status, score, rating, ...).

    ``screening`` (the run's Screener, or None) is passed to the check as
    ``ctx.screening``; what the check says with ``ctx.warn`` is appended to
    ``warnings``. A check that raises gives an ``error`` outcome whose
    ``traceback`` holds the last frames (for the plugin's author).
    ``aware``: the check takes ``engagement`` (:func:`vendordd.model.takes_engagement`),
    which is then passed (None: the vendor alone).
    """
    ctx = CheckContext(as_of=as_of, settings=settings, policy=policy, screening=screening)
    try:
        try:
            with time_limit(policy.get("check_timeout_seconds")):
                finding = (rc.check.run(profile, ctx, engagement=engagement) if aware  # type: ignore[call-arg]
                           else rc.check.run(profile, ctx))
        finally:
            if warnings is not None:
                warnings.extend(ctx.warnings)
    except CheckTimeout as exc:
        return error_outcome(str(exc))
    except (Exception, SystemExit) as exc:  # isolation: any failure of plugin code is a finding
        text = " ".join(str(exc).split())[:300]
        return error_outcome(f"{type(exc).__name__}: {text}" if text else type(exc).__name__,
                             last_frames(exc))
    if not isinstance(finding, Finding):
        return error_outcome(f"returned {type(finding).__name__}, not a vendordd.Finding")
    problems = finding.problems()
    if not problems:
        try:
            json.dumps([finding.metrics, finding.facts], allow_nan=False)
        except (TypeError, ValueError) as exc:
            problems.append(f"metrics or facts are not JSON data ({exc})")
    if problems:
        return error_outcome("malformed finding: " + "; ".join(problems))
    bands = policy.get("bands") or DEFAULT_BANDS
    rating = finding.rating
    if finding.score is not None:
        rating = worst(rating, rating_for(float(finding.score), bands))
    return outcome(status=finding.status,
                   score=None if finding.score is None else round(float(finding.score), 1),
                   rating=rating if finding.status == "ok" else None,
                   confidence=round(float(finding.confidence), 2), summary=finding.summary,
                   rationale=finding.rationale, metrics=finding.metrics, sources=finding.sources,
                   recommendations=finding.recommendations, facts=finding.facts)


def find_override(policy: Mapping[str, Any], vendor_id: str, check_id: str,
                  as_of: dt.date) -> tuple[Mapping[str, Any] | None, str | None]:
    """The override in force for (vendor, check), and a warning for an expired one."""
    warning = None
    for entry in policy.get("overrides") or ():
        if entry.get("vendor") != vendor_id or entry.get("check") != check_id:
            continue
        expires = dates.expiry_day(entry.get("expires"))
        if expires is not None and expires < as_of:
            warning = (f"override of {check_id} for {vendor_id} expired on {entry['expires']} "
                       f"and was ignored")
            continue
        return entry, None
    return None, warning


def apply_override(result: CheckResult, entry: Mapping[str, Any],
                   bands: Mapping[str, float]) -> None:
    """Replace score/rating with the analyst's, keeping the original for the record."""
    original = {"status": result["status"], "score": result["score"], "rating": result["rating"]}
    if "score" in entry:
        result["score"] = None if entry["score"] is None else float(entry["score"])
    if entry.get("rating"):
        result["rating"] = entry["rating"]
    elif result["score"] is not None:
        result["rating"] = rating_for(result["score"], bands)
    result["status"] = "ok" if result["score"] is not None else result["status"]
    result["override"] = {"reason": entry.get("reason"), "approved_by": entry.get("approved_by"),
                          "approved_on": entry.get("approved_on"), "expires": entry.get("expires"),
                          "original": original}
    was = original["rating"] or original["status"]
    result["summary"] = f"[Override: {result['rating'] or result['status']}, was {was}] {result['summary']}"
    result["rationale"] = [f"Analyst override by {entry.get('approved_by')} (expires "
                           f"{entry.get('expires')}): {entry.get('reason')}", *result["rationale"]]
