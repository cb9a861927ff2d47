"""Helpers for testing checks and plugins (public: plugin authors use them, and so do we).

Everything here goes through the same code as ``vendordd run``:

- :func:`run_check` runs one check on one profile dict through
  :func:`vendordd.runner.run_check`, with the default policy merged under
  yours, so a check that raises, runs too long or returns a malformed finding
  gives the same ``error`` result it would give in a real run;
- :func:`validate_profile` validates a profile dict with the real validator,
  plugin schema fragments included;
- :func:`registered_plugin` registers a plugin object in a
  :class:`vendordd.host.Host` for the length of a ``with`` block;
- :func:`minimal_profile`, :func:`make_context` and :func:`make_policy`
  build the smallest valid profile, a :class:`CheckContext` and the
  effective policy of a run.

docs/plugins.md ("Testing a plugin") documents this module.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import Check, CheckContext

if TYPE_CHECKING:
    from .host import Host

#: The plugin name results carry for a check passed to :func:`run_check` as an object.
TEST_PLUGIN_NAME = "vendordd.testing"

__all__ = ["TEST_PLUGIN_NAME", "Assessment", "make_context", "make_policy", "minimal_profile",
           "registered_plugin", "run_assessment", "run_check", "validate_profile"]


def minimal_profile(vendor_id: str = "example-vendor", **sections: Any) -> dict[str, Any]:
    """The smallest valid profile, with ``sections`` (e.g. ``leadership={...}``) added."""
    profile: dict[str, Any] = {
        "schema_version": 1,
        "vendor": {"id": vendor_id, "name": vendor_id.replace("-", " ").title(),
                   "headquarters": "US"},
        "profile_date": "2026-01-01",
        "sources": [],
    }
    for key, value in sections.items():
        profile[key] = copy.deepcopy(value)
    return profile


def make_context(as_of: str | dt.date = "2026-06-01", settings: Mapping[str, Any] | None = None,
                 policy: Mapping[str, Any] | None = None, defaults: Mapping[str, Any] | None = None
                 ) -> CheckContext:
    """A CheckContext with ``settings`` overlaid on ``defaults`` (a check's own)."""
    day = dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    merged = {**(defaults or {}), **(settings or {})}
    return CheckContext(as_of=day, settings=merged, policy=dict(policy or {}))


def make_policy(policy: Mapping[str, Any] | None = None, *,
                as_of: str | dt.date = "2026-06-01") -> dict[str, Any]:
    """The effective policy of a run: ``vendordd.policy.DEFAULT_POLICY`` with ``policy`` merged over it.

    Mappings merge key by key; lists and scalars in ``policy`` replace the
    default's, exactly as a policy file does. ``as_of`` is recorded in it.
    The dict is not validated against the policy schema.
    """
    from .policy import DEFAULT_POLICY, _merge

    merged = _merge(DEFAULT_POLICY, dict(policy or {}))
    merged["as_of"] = _day(as_of).isoformat()
    return merged


def run_check(check_or_id: Check | str, profile: Mapping[str, Any], *,
              as_of: str | dt.date = "2026-06-01", policy: Mapping[str, Any] | None = None,
              plugins: Iterable[object] = ()) -> dict[str, Any]:
    """Run one check on one profile as ``vendordd run`` would; return its result.

    ``check_or_id`` is a :class:`vendordd.Check`, or the id of a check that
    the built-ins, the installed (entry-point) plugins or the ``plugins``
    objects given here register (``plugins`` is only used with an id).
    ``policy`` is merged over the default policy (see :func:`make_policy`):
    put the check's settings in ``{"checks": {id: {"settings": {...}}}}``
    and a time limit in ``check_timeout_seconds``.

    Returns the check's entry of a results document: ``id``, ``title``,
    ``category``, ``version``, ``plugin``, ``weight``, then ``status``,
    ``score``, ``rating`` (derived from the score through the policy's bands
    when the check set none), ``confidence``, ``summary``, ``rationale``,
    ``metrics``, ``sources``, ``recommendations``, ``facts`` and ``error``.
    A check that raises, runs past the time limit or returns a malformed
    finding gives ``status == "error"`` with the reason in ``error``.

    It does not validate the profile (use :func:`validate_profile`), apply
    overrides or honour ``enabled: false``. It raises AssertionError when the
    check modified the profile (a check must not), and LookupError for an
    unknown check id.
    """
    from .host import RegisteredCheck
    from .results import check_result
    from .runner import check_weight, effective_settings
    from .runner import run_check as run_registered

    effective = make_policy(policy, as_of=as_of)
    if isinstance(check_or_id, Check):
        rc = RegisteredCheck(check_or_id, TEST_PLUGIN_NAME)
    elif isinstance(check_or_id, str):
        host, _ = _host_with(plugins)
        found = host.checks()
        if check_or_id not in found:
            raise LookupError(f"no check {check_or_id!r} is registered; the registered checks are: "
                              f"{', '.join(found) or 'none'}")
        rc = found[check_or_id]
    else:
        raise TypeError(f"run_check() takes a vendordd.Check or a check id, not "
                        f"{type(check_or_id).__name__}")
    before = copy.deepcopy(profile)
    result = run_registered(rc, profile, _day(as_of), effective, effective_settings(rc, effective))
    if profile != before:
        raise AssertionError(f"check {rc.check.id!r} modified the profile it was given; a check "
                             f"must treat the profile as read-only")
    entry = check_result(rc.check, rc.plugin, check_weight(rc, effective), result)
    return {k: v for k, v in entry.items() if k != "override"}  # overrides are not applied here


@contextlib.contextmanager
def registered_plugin(plugin: object, name: str | None = None, *,
                      host: Host | None = None) -> Iterator[Host]:
    """Register ``plugin`` (a module or an object with hook implementations) for a ``with`` block.

    Registers it with :meth:`Host.register_object` in ``host`` (default: a
    new, empty :class:`vendordd.host.Host`), yields the host and
    unregisters the plugin on the way out, even when the block raises.
    ``name`` defaults to the module's ``__name__`` or the object's class name.
    A plugin the host refuses (an invalid hook implementation, an unknown
    hook, a newer plugin API) raises :class:`vendordd.host.PluginError`
    with the host's message.
    """
    from .host import Host, PluginError

    host = host if host is not None else Host()
    name = name or _plugin_name(plugin)
    if name in host.plugins:
        raise PluginError(f"a plugin named {name!r} is already in this host "
                          f"({host.plugins[name].where}); pass another name")
    seen = len(host.problems)
    host.register_object(plugin, name)
    try:
        if not host.plugins[name].loaded:
            raise PluginError("; ".join(host.problems[seen:]) or f"plugin {name!r} was not registered")
        host.checks()
        own = [p for p in host.problems[seen:] if p.startswith(f"plugin {name!r}")]
        if own:
            raise PluginError("; ".join(own))
        builtin = _builtin_check_plugins()
        taken = [f"check id {cid!r} of plugin {name!r} is the id of the built-in check of "
                 f"{builtin[cid]!r}; choose another" for cid, rc in host.checks().items()
                 if rc.plugin == name and cid in builtin]
        if taken:
            raise PluginError("; ".join(taken))
        yield host
    finally:
        host.unregister(name)


def _builtin_check_plugins() -> dict[str, str]:
    """The built-in checks' ids and the module registering each."""
    from .host import Host

    return {cid: rc.plugin for cid, rc in Host().load(entry_points=False).checks().items()}


@dataclass
class Assessment:
    """What :func:`run_assessment` returns: a whole run's results, workbook and messages."""

    results: dict[str, Any]
    workbook: Any  # an openpyxl Workbook, loaded from the written file (None with workbook=False)
    warnings: list[str]
    errors: list[str]
    check_failures: list[dict[str, Any]] = field(default_factory=list)


def run_assessment(profiles: Iterable[Mapping[str, Any]], *, policy: Mapping[str, Any] | None = None,
                   portfolio: Mapping[str, Any] | None = None, as_of: str | dt.date = "2026-06-01",
                   workbook: bool = True, plugins: Iterable[object] = ()) -> Assessment:
    """Run a whole assessment, as ``vendordd run`` does, on ``profiles`` (dicts) with ``plugins``.

    Like pytest's ``pytester``: the profiles, ``policy`` (merged over the
    default policy, as a policy file is) and ``portfolio`` are written to a
    temporary folder, the built-ins, the installed plugins and ``plugins``
    (modules or objects with hook implementations) are loaded, and the
    run's real spine writes the JSON and the workbook (``workbook=False``:
    the JSON only). Every hook is exercised: ``analyse_portfolio`` (see
    ``results["portfolio"]``) and ``scorecard_sheets`` (see
    ``workbook.sheetnames``). Input problems come back in ``errors``, plugin
    problems and check warnings in ``warnings``; nothing raises for them.
    """
    import json
    import tempfile

    from .outputs import Outputs
    from .pipeline import assess

    host, _ = _host_with(plugins)
    with tempfile.TemporaryDirectory(prefix="vendordd-test-") as tmp:
        folder = Path(tmp)
        (folder / "profiles").mkdir()
        for i, profile in enumerate(profiles):
            (folder / "profiles" / f"profile-{i:04d}.json").write_text(json.dumps(profile), "utf-8")
        policy_path = portfolio_path = None
        if policy is not None:
            policy_path = str(folder / "policy.json")
            Path(policy_path).write_text(json.dumps({"policy_version": 1, **dict(policy)}), "utf-8")
        if portfolio is not None:
            portfolio_path = str(folder / "portfolio.json")
            Path(portfolio_path).write_text(json.dumps(dict(portfolio)), "utf-8")
        xlsx, out = folder / "scorecard.xlsx", folder / "results.json"
        outcome = assess([str(folder / "profiles")], policy_path=policy_path, portfolio_path=portfolio_path,
                         as_of=_day(as_of).isoformat(), host=host,
                         outputs=Outputs(workbook=str(xlsx) if workbook else None, json=str(out)))
        book = None
        if workbook:
            from openpyxl import load_workbook

            book = load_workbook(xlsx)
        results = json.loads(out.read_text("utf-8"))
    return Assessment(results=results, workbook=book, warnings=list(outcome.warnings),
                      errors=[str(p) for p in outcome.input_problems],
                      check_failures=outcome.check_failures)


def validate_profile(profile: Mapping[str, Any], plugins: Iterable[object] = ()) -> list[str]:
    """Every problem a real run would report for ``profile``, one string each; [] when valid.

    Uses the real validator: the core profile schema plus the schema
    fragments of the built-ins, the installed plugins and the ``plugins``
    objects given, then the semantic rules (cited sources are defined,
    source ids unique). Each problem reads ``"<JSON pointer>: <message>"``.
    A problem of one of the given plugins (say, a schema fragment that is
    not valid JSON Schema) is reported too, starting with ``"plugin "``.
    """
    from .loader import Document
    from .validation import compile_validator, profile_schema, schema_problems, semantic_problems

    host, names = _host_with(plugins)
    validator = compile_validator(profile_schema(host.schemas()))
    own = [p for p in host.problems if any(p.startswith(f"plugin {n!r}") for n in names)]
    if not isinstance(profile, Mapping):
        return [*own, f"/: a profile must be a mapping, not {type(profile).__name__}"]
    doc = Document(name="profile", path=Path("<profile>"), data=profile, sha256="", kind="json")
    found = schema_problems(validator, doc) or semantic_problems(doc)
    return [*own, *(f"{p.pointer or '/'}: {p.message}" for p in found)]


def _host_with(plugins: Iterable[object]) -> tuple[Host, list[str]]:
    """A host with the built-ins, the entry points and ``plugins`` loaded; and those plugins' names.

    A plugin object that an entry point already registered (the package under
    test, once installed) is not registered twice.
    """
    from .host import Host

    host = Host().load()
    names = []
    for plugin in plugins:
        registered = host.pm.get_name(plugin) if host.pm.is_registered(plugin) else None
        if registered is not None:
            names.append(registered)
            continue
        name = _plugin_name(plugin)
        host.register_object(plugin, name)
        names.append(name)
    return host, names


def _plugin_name(plugin: object) -> str:
    name = getattr(plugin, "__name__", None)
    return name if isinstance(name, str) else type(plugin).__name__


def _day(value: str | dt.date) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value
