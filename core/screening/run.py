"""A run's screening: the lists of ``--screening-list`` and the policy read once, and the names screened.

:func:`load_screening` builds the run's :class:`~vendordd.screening.matcher.Screener`
and says which lists are stale; :func:`vendor_names` gives the names and
countries a profile is screened under.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..loader import InputError
from .fields import country_codes, items, section
from .matcher import Screener
from .reading import read_list

DEFAULT_MAX_AGE_DAYS = 7


def policy_lists(policy: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    """The policy's ``screening.lists`` as (path, stated date or None)."""
    conf = section(policy, "screening")
    out: list[tuple[str, str | None]] = []
    for item in conf.get("lists") or ():
        if isinstance(item, str):
            out.append((item, None))
        elif isinstance(item, Mapping) and isinstance(item.get("path"), str):
            out.append((item["path"], item.get("date")))
    return out


def load_screening(paths: Iterable[str], policy: Mapping[str, Any], as_of: dt.date
                   ) -> tuple[Screener | None, list[str]]:
    """The run's screener (None without any list) and warnings about stale or future-dated lists.

    ``paths`` are the ``--screening-list`` files; the policy's
    ``screening.lists`` are added (a file named twice is read once). Every
    bad file's problems are raised together as one InputError.
    """
    wanted: dict[Path, tuple[str, str | None]] = {}
    for path, date in [*((p, None) for p in paths), *policy_lists(policy)]:
        key = Path(path).resolve()
        if key not in wanted or (date and not wanted[key][1]):
            wanted[key] = (path, date or (wanted[key][1] if key in wanted else None))
    if not wanted:
        return None, []
    lists, problems = [], []
    for path, date in wanted.values():
        try:
            lists.append(read_list(path, date=date))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    conf = section(policy, "screening")
    max_age = int(conf.get("max_age_days", DEFAULT_MAX_AGE_DAYS))
    warnings = []
    for lst in lists:
        day = dt.date.fromisoformat(lst.date) if lst.date else None
        if day is None:
            continue
        age = (as_of - day).days
        if age > max_age:
            warnings.append(f"screening list {lst.file} is dated {lst.date} ({lst.date_source}), {age} days "
                            f"before the assessment date {as_of}: lists change weekly; screen against a "
                            f"current download")
        elif age < 0:
            warnings.append(f"screening list {lst.file} is dated {lst.date} ({lst.date_source}), after the "
                            f"assessment date {as_of}: entries added later are ignored by their start date "
                            f"only where the list gives one")
    return Screener.from_policy(lists, policy), warnings


def vendor_names(profile: Mapping[str, Any]) -> tuple[list[tuple[str, str]], list[str]]:
    """The names a profile is screened under, each with its role, and its countries.

    Names: ``vendor.name`` (``name``), ``legal_name``, each of ``aliases``
    (``alias``) and ``subsidiaries`` (``subsidiary``), without repeats.
    Countries: ``vendor.headquarters`` and ``geopolitics.jurisdictions``.
    """
    vendor = section(profile, "vendor")
    names: dict[str, str] = {}
    for key, role in (("name", "name"), ("legal_name", "legal name")):
        if isinstance(vendor.get(key), str) and vendor[key].strip():
            names.setdefault(vendor[key].strip(), role)
    for key, role in (("aliases", "alias"), ("subsidiaries", "subsidiary")):
        for value in items(vendor, key):
            if isinstance(value, str) and value.strip():
                names.setdefault(value.strip(), role)
    places = [vendor.get("headquarters"), *items(section(profile, "geopolitics"), "jurisdictions")]
    return list(names.items()), list(country_codes(places))
