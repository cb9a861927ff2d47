"""Screening names against official sanctions and export-control lists.

The contract (docs/screening.md is the user-facing description):

- :func:`read_list` reads one list file a compliance team downloads, in its
  published format, and returns a :class:`ScreeningList` of
  :class:`ListEntry` objects; the format is detected from the content by the
  registry in :mod:`vendordd.screening.formats` (one module per format: the
  US Consolidated Screening List (CSL) as CSV or JSON, OFAC's ``sdn.csv``
  with its ``alt.csv`` aliases when that file sits beside it, and
  OpenSanctions' FollowTheMoney entity export as JSON lines). A file that
  cannot be read as one of them raises :class:`vendordd.loader.InputError`
  naming the file and the line (or JSON pointer).
- :class:`Screener` indexes the names of every entry once; its
  :meth:`Screener.screen` compares a few vendor names with the whole index
  (rapidfuzz's C loop, an exact-key dictionary and a token index: never a
  Python loop over every pair) and returns :class:`Match` objects, each
  ``strong`` or ``potential``.
- :func:`load_screening` builds the screener of a run from ``--screening-list``
  files and the policy's ``screening.lists`` and says which lists are stale.

Every list entry carries a *list id* in the policy's vocabulary
(``US-BIS-ENTITY``, ``US-OFAC-SDN``, ``EU-CONSOLIDATED``...), so a match can be
compared with ``policy.buyer.bound_by_lists``; :data:`CSL_LISTS` and
:data:`OPENSANCTIONS_LISTS` are the mapping.

The modules: ``model`` (entries, lists, matches), ``list_ids``, ``names``
(normalisation), ``fields`` (countries, days), ``formats`` (the registry and
one module per format), ``reading`` (one file), ``matcher`` (the index and
the comparison), ``run`` (a run's lists and a profile's names).
"""

from __future__ import annotations

from .fields import country_codes, iso_day
from .formats import FORMATS, REGISTRY
from .formats.base import MAX_PROBLEMS
from .formats.opensanctions import SCREENING_TOPICS
from .list_ids import CSL_LISTS, OPENSANCTIONS_LISTS, csl_list_id, dataset_list_id
from .matcher import (
    DEFAULT_POTENTIAL_THRESHOLD,
    DEFAULT_STRONG_THRESHOLD,
    MAX_CONTAINED_WORD_NAMES,
    MIN_FUZZY_LETTERS,
    Screener,
)
from .model import STRENGTHS, ListEntry, Match, ScreeningList
from .names import LEGAL_WORDS, STOP_WORDS, name_variants, normalise, words
from .reading import detect_format, read_list
from .run import DEFAULT_MAX_AGE_DAYS, load_screening, policy_lists, vendor_names

__all__ = [
    "CSL_LISTS", "DEFAULT_MAX_AGE_DAYS", "DEFAULT_POTENTIAL_THRESHOLD", "DEFAULT_STRONG_THRESHOLD",
    "FORMATS", "LEGAL_WORDS", "MAX_CONTAINED_WORD_NAMES", "MAX_PROBLEMS", "MIN_FUZZY_LETTERS",
    "OPENSANCTIONS_LISTS", "REGISTRY", "SCREENING_TOPICS", "STOP_WORDS", "STRENGTHS",
    "ListEntry", "Match", "Screener", "ScreeningList", "country_codes", "csl_list_id", "dataset_list_id",
    "detect_format", "iso_day", "load_screening", "name_variants", "normalise", "policy_lists",
    "read_list", "vendor_names", "words",
]
