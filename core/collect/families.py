"""Grouping an author's model repositories into releases.

A release is what an analyst would write down as one event: "Qwen2.5, open
weights, Apache-2.0, September 2024", not forty lines for its sizes,
instruct/base variants and quantisations. Two signals group repositories:

1. **The name.** A repository name (without the author) is split at ``-``;
   size tokens (``7B``, ``0.5B``, ``270M``, ``A3B``, ``8x7B``, ``E2B``, ``small``, ``xl``),
   variant tokens (``Instruct``, ``Chat``, ``Base``, ``it``, ``pt``) and
   packaging tokens (``GGUF``, ``AWQ``, ``GPTQ``, ``FP8``, ``Int4``, ``MLX``,
   ``Q4_K_M``, context lengths such as ``128K``) are dropped; what is left
   is the family (``Qwen2.5-7B-Instruct-GGUF`` -> ``Qwen2.5``). Product
   words (``Coder``, ``VL``, ``Math``), versions (``v0.2``) and date
   suffixes (``2507``, ``0528``) stay: they name a different release.
2. **The Hub's model tree.** A repository tagged
   ``base_model:quantized:<author>/<repo>`` or ``base_model:adapter:...``
   (a quantisation or adapter of another of the author's repositories) joins
   that repository's family, whatever its name. A fine-tune does not: an
   author's fine-tune is often a new product (``-Coder`` from a base model).

Within a family, repositories with different licences or different access
(gated or not) are separate releases, because the profile gives each release
one licence and one availability.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

_SIZE = re.compile(r"^(\d+x)?\d+(\.\d+)?[bmkt]$|^[ae]\d+(\.\d+)?[bm]$", re.IGNORECASE)
_QUANT = re.compile(r"^(i?q\d(_[a-z0-9]+)*|w\d+a\d+|\d+bit|int\d+|fp\d+|bf16|nf4|mxfp4|\d+(\.\d+)?bpw)$",
                    re.IGNORECASE)
VARIANT_WORDS = frozenset({
    "instruct", "chat", "base", "it", "pt", "hf", "sft", "dpo", "rlhf", "gguf", "ggml", "awq",
    "gptq", "exl2", "mlx", "onnx", "bnb", "quantized", "dynamic", "original", "safetensors",
    # sizes said in words
    "nano", "micro", "tiny", "mini", "small", "medium", "large", "xl", "xxl",
})
#: Hub tag prefixes meaning "this repository is packaging of that one".
PACKAGING_RELATIONS = ("base_model:quantized:", "base_model:adapter:")


def family_of(repo_id: str) -> str:
    """The family name of a repository id (``author/name`` or ``name``)."""
    name = repo_id.rsplit("/", 1)[-1]
    tokens = [t for t in name.split("-") if t]
    kept = [t for t in tokens if not (_SIZE.match(t) or _QUANT.match(t) or t.lower() in VARIANT_WORDS)]
    return "-".join(kept) or name


def family_key(name: str) -> str:
    """A comparison key for release and family names: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9.]+", "", name.lower())


def packaging_parent(tags: Iterable[str] | None, own: set[str]) -> str | None:
    """The author's repository this one packages (quantises, adapts), from its Hub tags."""
    for tag in tags or ():
        for prefix in PACKAGING_RELATIONS:
            if tag.startswith(prefix):
                parent = tag[len(prefix):]
                if parent in own:
                    return parent
    return None


def group_families(repos: Sequence[str], tags: Mapping[str, Iterable[str] | None]) -> dict[str, str]:
    """``{repo id: family name}`` for every repository, by name and by the model tree.

    ``tags`` maps a repository id to its Hub tags. A packaging chain
    (a quantisation of an adapter of a model) is followed to its root; a
    cycle (which the Hub should not allow) falls back to the name.
    """
    own = set(repos)
    family = {repo: family_of(repo) for repo in repos}
    out: dict[str, str] = {}
    for repo in repos:
        seen = {repo}
        current = repo
        while (parent := packaging_parent(tags.get(current), own)) is not None and parent not in seen:
            seen.add(parent)
            current = parent
        out[repo] = family[current]
    return out


#: Words analysts add to a release's name that do not change which release it is.
GENERIC_WORDS = frozenset({"update", "updates", "model", "models", "series", "family", "release",
                           "releases", "weights", "checkpoint", "checkpoints", "open", "dense", "moe"})


def release_family(name: str) -> str:
    """The family an analyst's release name refers to, for matching collected releases.

    Bracketed parts are dropped, spaces read as ``-``, then :func:`family_of`
    and the generic words: ``Qwen3 (dense 0.6B-32B; MoE ...)`` -> ``Qwen3``,
    ``Qwen3-2507 updates`` -> ``Qwen3-2507``, ``Qwen3.5 small models (0.8B, 2B)``
    -> ``Qwen3.5``.
    """
    bare = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", name)
    dashed = "-".join(bare.replace(",", " ").split())
    kept = [t for t in family_of(dashed).split("-") if t.lower() not in GENERIC_WORDS]
    return "-".join(kept) or name
