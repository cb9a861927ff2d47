"""The policy's list ids (``US-BIS-ENTITY``, ``US-OFAC-SDN``...) of what the publishers call their lists.

Every entry carries one of these ids, so that a match can be compared with
``policy.buyer.bound_by_lists`` and with ``geopolitics.sanctions[].list`` in
profiles (docs/screening.md, "List ids").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

#: CSL ``source`` -> policy list id, keyed by the abbreviation in the source's
#: parentheses ("Entity List (EL) - Bureau of Industry and Security" -> EL).
CSL_LISTS: Mapping[str, str] = {
    "EL": "US-BIS-ENTITY",
    "DPL": "US-BIS-DPL",
    "UVL": "US-BIS-UVL",
    "MEU": "US-BIS-MEU",
    "SDN": "US-OFAC-SDN",
    "FSE": "US-OFAC-FSE",
    "SSI": "US-OFAC-SSI",
    "PLC": "US-OFAC-PLC",
    "CAP": "US-OFAC-CAPTA",
    "NS-MBS": "US-OFAC-NS-MBS",
    "CMIC": "US-OFAC-CMIC",
    "DTC": "US-DDTC-DEBARRED",
    "ISN": "US-STATE-ISN",
}

#: OpenSanctions dataset -> policy list id. Any other dataset becomes
#: ``OPENSANCTIONS-<DATASET>`` (``ch_seco_sanctions`` -> ``OPENSANCTIONS-CH-SECO-SANCTIONS``).
OPENSANCTIONS_LISTS: Mapping[str, str] = {
    "us_ofac_sdn": "US-OFAC-SDN",
    "us_ofac_cons": "US-OFAC-CONS",
    "us_bis_denied": "US-BIS-DPL",
    "us_dod_chinese_milcorps": "US-DOD-1260H",
    "eu_fsf": "EU-CONSOLIDATED",
    "gb_hmt_sanctions": "UK-OFSI",
    "un_sc_sanctions": "UN-SC",
}


@functools.lru_cache(maxsize=256)
def csl_list_id(source: str, default: str | None = "") -> str | None:
    """The policy list id of a CSL ``source`` text.

    Unknown sources give ``default``; with the default ``""`` they give
    ``US-CSL-<abbreviation>`` (``US-CSL-OTHER`` without one).
    """
    found = re.search(r"\(([^)]*)\)", source or "")
    abbreviation = re.sub(r"[^A-Z0-9-]", "", found.group(1).split()[0].upper()) \
        if found and found.group(1).split() else ""
    if abbreviation in CSL_LISTS:
        return CSL_LISTS[abbreviation]
    if default != "":
        return default
    return f"US-CSL-{abbreviation.strip('-') or 'OTHER'}"


def dataset_list_id(dataset: str) -> str:
    """The policy list id of an OpenSanctions dataset name."""
    if dataset in OPENSANCTIONS_LISTS:
        return OPENSANCTIONS_LISTS[dataset]
    return "OPENSANCTIONS-" + (re.sub(r"[^A-Z0-9]+", "-", dataset.upper()).strip("-") or "UNKNOWN")
