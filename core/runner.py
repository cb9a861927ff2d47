"""Runs one check on one profile, in its own guard, and applies overrides.

A check that raises, runs past the policy's time limit or returns a
malformed finding becomes an ``error`` result naming the problem; the other
checks and vendors are not affected.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import json
import math
import signal
import threading
import traceback
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from . import dates
from .host import RegisteredCheck
from .model import DEFAULT_BANDS, RATINGS, STATUSES, CheckContext, Finding, rating_for, worst
from .results import CheckOutcome, CheckResult, outcome


class CheckTimeout(Exception):
    """Raised inside a check that ran past ``check_timeout_seconds``."""


#: ``signal.signal`` without the enum conversion of its answer (a failed ``Handlers(handler)`` per
#: call for a Python handler, most of a time limit's cost): the C function ``signal.signal`` calls.
#: Handlers go in and come back as that function takes and gives them, so restoring is exact.
try:
    _set_handler: Any = importlib.import_module("_signal").signal
except (ImportError, AttributeError):  # another Python: the public function
    _set_handler = signal.signal


class time_limit:  # noqa: N801 - used as the context manager it replaced: ``with time_limit(s):``
    """Raise CheckTimeout in the block after ``seconds`` (main thread, POSIX only).

    Elsewhere the block runs without a limit: a timer signal can only
    interrupt the main thread. Its handler is installed for the block and
    the previous one put back after it, as :func:`_time_limit_plain` does
    (tests/test_assessment_fast_paths.py compares the two), at a quarter of
    its cost: a class instead of a generator, the raw ``signal`` function
    (one limit per check: 5,000 a run of 1,000 profiles).
    """

    __slots__ = ("seconds", "previous", "armed")

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.armed = False
        self.previous: Any = None

    def __enter__(self) -> None:
        seconds = self.seconds
        if (seconds is None or seconds <= 0 or not hasattr(signal, "setitimer")
                or threading.current_thread() is not threading.main_thread()):
            return
        self.previous = _set_handler(signal.SIGALRM, self._on_alarm)
        self.armed = True
        signal.setitimer(signal.ITIMER_REAL, seconds)

    def _on_alarm(self, signum: int, frame: Any) -> None:
        raise CheckTimeout(f"ran longer than the policy's limit of {self.seconds:g} s")

    def __exit__(self, *exc: object) -> None:
        if self.armed:
            self.armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            _set_handler(signal.SIGALRM, self.previous)


@contextlib.contextmanager
def _time_limit_plain(seconds: float | None) -> Iterator[None]:
    """:class:`time_limit`'s plain twin: the reference it must behave as."""
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
    problems = [] if well_formed(finding) else finding.problems()
    if not problems and not is_plain_json([finding.metrics, finding.facts]):
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


#: Exact types of a finding's numbers that :func:`well_formed` looks at (``bool`` is not one).
_NUMBERS = frozenset({int, float})
_TEXT = frozenset({str})


def well_formed(finding: Finding) -> bool:
    """True when ``finding.problems()`` is surely empty; False says nothing (``problems`` decides).

    The same rules on exact types only (text, ``int`` or ``float``, ``list``, ``dict``), which is
    what the checks return: a quarter of the cost of collecting no problems one rule at a time
    (tests/test_assessment_fast_paths.py holds it to ``Finding.problems``).
    """
    status, score, confidence = finding.status, finding.score, finding.confidence
    if type(status) is not str or status not in STATUSES:
        return False
    if score is None:
        if status == "ok":
            return False
    elif type(score) not in _NUMBERS or status != "ok" or not 0 <= score <= 100:  # NaN fails the range
        return False
    rating = finding.rating
    if rating is not None and (type(rating) is not str or rating not in RATINGS):
        return False
    if type(confidence) not in _NUMBERS or not 0 <= confidence <= 1:
        return False
    rationale, sources, recommendations = finding.rationale, finding.sources, finding.recommendations
    return (type(finding.summary) is str and type(finding.metrics) is dict and type(finding.facts) is dict
            and type(rationale) is list and type(sources) is list and type(recommendations) is list
            and set(map(type, rationale)) <= _TEXT and set(map(type, sources)) <= _TEXT
            and set(map(type, recommendations)) <= _TEXT)


#: Exact types of JSON text, numbers (floats apart: they may be NaN or infinite), booleans and null.
_JSON_SCALARS = frozenset({str, int, bool, type(None)})


def is_plain_json(value: Any) -> bool:
    """True when ``value`` is made of exact dicts with text keys, lists, text, integers, booleans,
    None and finite floats only: then ``json.dumps(value, allow_nan=False)`` cannot fail.

    False says nothing: ``json.dumps`` then decides (tuples, subclasses and other keys may still be
    JSON). A check's metrics and facts are nearly always plain, and this walk is cheaper than
    writing their text (tests/test_assessment_fast_paths.py compares the two).
    """
    try:
        return _plain(value, 0)
    except RecursionError:  # too little stack left here: json.dumps decides
        return False


#: Nesting beyond which :func:`is_plain_json` leaves the answer to ``json.dumps`` (cycles too).
_PLAIN_DEPTH = 100


def _plain(value: Any, depth: int) -> bool:
    if depth > _PLAIN_DEPTH:
        return False
    kind = type(value)
    if kind is dict:
        if not set(map(type, value)) <= _TEXT:  # every key exact text, the test in C
            return False
        items: Iterable[Any] = value.values()
    elif kind is list:
        items = value
    elif kind in _JSON_SCALARS:
        return True
    else:
        return kind is float and math.isfinite(value)
    for item in items:
        kind = type(item)
        if kind in _JSON_SCALARS:
            continue
        if kind is float:
            if not math.isfinite(item):
                return False
        elif kind is dict or kind is list:
            if not _plain(item, depth + 1):
                return False
        else:
            return False
    return True


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
