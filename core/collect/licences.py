"""Hugging Face Hub licence identifiers as SPDX ids or ``LicenseRef-<name>``.

The Hub's model cards carry ``license:`` (a lower-case Hub identifier such as
``apache-2.0`` or ``llama3.1``), also published as a ``license:<id>`` tag; a
custom licence is ``license: other`` with ``license_name`` (and
``license_link``). Most Hub identifiers are SPDX ids in lower case; the rest
are licences SPDX does not list (model licences such as Llama's or Gemma's),
which the profile records as ``LicenseRef-<name>``, the SPDX convention for a
licence outside the list.

Never a guess: no licence on the Hub is no licence in the profile (the
open-source check then treats the release as custom-licensed, the cautious
reading), and ``other`` without a name stays unnamed.
"""

from __future__ import annotations

import re

#: Hub identifiers that are SPDX ids, by their lower-case form.
SPDX_IDS: dict[str, str] = {i.lower(): i for i in (
    "Apache-2.0", "MIT", "AFL-3.0", "Artistic-2.0", "BSL-1.0", "BSD-2-Clause", "BSD-3-Clause",
    "BSD-3-Clause-Clear", "CC0-1.0", "CC-BY-2.0", "CC-BY-2.5", "CC-BY-3.0", "CC-BY-4.0",
    "CC-BY-SA-3.0", "CC-BY-SA-4.0", "CC-BY-NC-2.0", "CC-BY-NC-3.0", "CC-BY-NC-4.0", "CC-BY-ND-4.0",
    "CC-BY-NC-ND-3.0", "CC-BY-NC-ND-4.0", "CC-BY-NC-SA-2.0", "CC-BY-NC-SA-3.0", "CC-BY-NC-SA-4.0",
    "CDLA-Sharing-1.0", "CDLA-Permissive-1.0", "CDLA-Permissive-2.0", "WTFPL", "ECL-2.0", "EPL-1.0",
    "EPL-2.0", "etalab-2.0", "EUPL-1.1", "EUPL-1.2", "AGPL-3.0", "GPL-2.0", "GPL-3.0", "LGPL-2.1",
    "LGPL-3.0", "ISC", "LPPL-1.3c", "MS-PL", "MPL-2.0", "ODC-By-1.0", "ODbL-1.0", "OSL-3.0",
    "PostgreSQL", "OFL-1.1", "NCSA", "Unlicense", "Zlib", "PDDL-1.0", "UPL-1.0", "BigScience-OpenRAIL-M",
    "CreativeML-OpenRAIL-M", "BigScience-BLOOM-RAIL-1.0",
)}

#: Hub identifiers that differ from their SPDX id by more than case.
HUB_ALIASES: dict[str, str] = {
    "odc-by": "ODC-By-1.0",
    "odbl": "ODbL-1.0",
    "pddl": "PDDL-1.0",
    "bigcode-openrail-m": "LicenseRef-BigCode-OpenRAIL-M",
    "openrail": "LicenseRef-OpenRAIL",
    "openrail++": "LicenseRef-OpenRAIL-PlusPlus",
    "llama2": "LicenseRef-Llama-2-Community",
    "llama3": "LicenseRef-Llama-3-Community",
    "llama3.1": "LicenseRef-Llama-3.1-Community",
    "llama3.2": "LicenseRef-Llama-3.2-Community",
    "llama3.3": "LicenseRef-Llama-3.3-Community",
    "llama4": "LicenseRef-Llama-4-Community",
    "gemma": "LicenseRef-Gemma-Terms",
    "apple-ascl": "LicenseRef-Apple-ASCL",
    "apple-amlr": "LicenseRef-Apple-AMLR",
    "deepfloyd-if-license": "LicenseRef-DeepFloyd-IF",
    "fair-noncommercial-research-license": "LicenseRef-FAIR-Noncommercial-Research",
    "h-research": "LicenseRef-H-Research",
    "intel-research": "LicenseRef-Intel-Research",
    "c-uda": "LicenseRef-C-UDA",
    "lgpl-lr": "LicenseRef-LGPL-LR",
    # Family names without a version are not SPDX ids (SPDX needs the version).
    "bsd": "LicenseRef-BSD", "gpl": "LicenseRef-GPL", "lgpl": "LicenseRef-LGPL",
    "gfdl": "LicenseRef-GFDL", "cc": "LicenseRef-CC",
}

#: Hub values that state no licence at all.
NO_LICENCE = frozenset({"", "unknown", "none", "n/a"})


def licence_ref(name: str) -> str | None:
    """``LicenseRef-<name>`` from free text: letters, digits, ``.`` and ``-`` only.

    Returns None when nothing usable is left (the text was all punctuation).
    """
    cleaned = re.sub(r"[^A-Za-z0-9.]+", "-", name.strip()).strip("-.")
    cleaned = re.sub(r"-{2,}", "-", cleaned)
    return f"LicenseRef-{cleaned[:80]}" if cleaned else None


def hub_licence(value: str | None, name: str | None = None) -> tuple[str | None, str]:
    """The profile licence for a Hub ``license`` value (and ``license_name``).

    Returns ``(licence or None, how)``, where ``how`` says how it was read,
    for the collection notes: ``spdx``, ``hub alias``, ``custom (license_name)``,
    ``outside SPDX``, ``other without a name``, ``none stated``.
    """
    raw = (value or "").strip()
    key = raw.lower()
    if key in NO_LICENCE:
        return None, "none stated"
    if key == "other":
        if name and name.strip() and name.strip().lower() not in NO_LICENCE | {"other"}:
            return licence_ref(name), "custom (license_name)"
        return None, "other without a name"
    if key in SPDX_IDS:
        return SPDX_IDS[key], "spdx"
    if key in HUB_ALIASES:
        return HUB_ALIASES[key], "hub alias"
    return licence_ref(raw), "outside SPDX"
