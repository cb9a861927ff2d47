"""The plugin host: finds plugins, loads each in its own guard, calls hooks safely.

pluggy gives no isolation: its entry-point loader has no try/except and one
raising hook implementation stops the call. So the host loads every plugin
itself and calls hook implementations one at a time, turning any failure into
a one-line message that names the plugin (or, under ``strict``, a
:class:`PluginError`).

Plugins come from three places, in this order: the built-in checks, installed
packages that declare an entry point in the ``vendordd`` group, and local
``.py`` files or folders (``--plugin PATH``, ``VENDORDD_PLUGINS``, the
policy's ``plugins.paths``). ``VENDORDD_DISABLE_PLUGINS`` (comma-separated
names) and the policy's ``plugins.disable`` turn plugins off.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from . import PLUGIN_API, hookspecs
from .model import Check

ENTRY_POINT_GROUP = "vendordd"

BUILTIN_PLUGINS: tuple[str, ...] = (
    "vendordd.plugins.leadership_turnover",
    "vendordd.plugins.open_source_commitment",
    "vendordd.plugins.compute_capacity",
    "vendordd.plugins.geopolitical_exposure",
    "vendordd.plugins.api_stability",
    "vendordd.plugins.portfolio_concentration",
    "vendordd.plugins.change_report",
)


class PluginError(Exception):
    """A plugin problem that stops the run (under ``--strict``, or a duplicate check id)."""


@dataclass
class PluginInfo:
    """One plugin the host knows of, loaded or not."""

    name: str
    origin: str  # builtin | entry_point | local
    where: str  # module name, "dist 1.0", or file path
    version: str | None = None
    loaded: bool = False
    error: str | None = None
    hooks: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "origin": self.origin,
                "where": self.where, "loaded": self.loaded, "error": self.error,
                "hooks": list(self.hooks), "checks": list(self.checks)}


@dataclass(frozen=True)
class RegisteredCheck:
    """A check and the plugin that registered it."""

    check: Check
    plugin: str


def _env_list(name: str, sep: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, "").split(sep) if part.strip()]


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class Host:
    """Loads plugins and answers for them. One instance per run.

    ``problems`` collects one line per plugin failure; the CLI prints them on
    stderr. With ``strict=True`` the first failure raises :class:`PluginError`.
    """

    def __init__(self, *, strict: bool = False, trace: bool | None = None) -> None:
        self.strict = strict
        self.pm = pluggy.PluginManager("vendordd")
        self.pm.add_hookspecs(hookspecs)
        self.plugins: dict[str, PluginInfo] = {}
        self.problems: list[str] = []
        #: the traceback of each failed hook call, for --debug
        self.tracebacks: list[str] = []
        self.trace = bool(os.environ.get("VENDORDD_TRACE_HOOKS")) if trace is None else trace
        self._checks: dict[str, RegisteredCheck] | None = None
        self._schemas: dict[str, tuple[Mapping[str, Any], str]] | None = None
        #: vendor_sheet_section failures per plugin, reported once (report_section_failures)
        self._section_failures: dict[str, dict[str, Any]] = {}

    # -- loading ---------------------------------------------------------------

    def load(self, *, builtins: bool = True, entry_points: bool = True,
             paths: Iterable[str | os.PathLike] = (), disable: Iterable[str] = ()) -> Host:
        """Load plugins from every source; failures become ``problems``."""
        blocked = set(disable) | set(_env_list("VENDORDD_DISABLE_PLUGINS", ","))
        for name in blocked:
            self.pm.set_blocked(name)
        if builtins:
            for modname in BUILTIN_PLUGINS:
                if modname in blocked or modname.rsplit(".", 1)[1] in blocked:
                    continue
                self._load(modname, "builtin", modname, functools.partial(importlib.import_module, modname))
        if entry_points:
            self._load_entry_points(blocked)
        all_paths = [*map(str, paths), *_env_list("VENDORDD_PLUGINS", os.pathsep)]
        for path in all_paths:
            self._load_path(Path(path), blocked)
        self._check_unknown_hooks()
        return self

    def _load_entry_points(self, blocked: set[str]) -> None:
        from .entry_point_scan import may_declare

        if not may_declare(ENTRY_POINT_GROUP):  # the usual case, without importing importlib.metadata
            return
        from importlib.metadata import entry_points

        for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            if ep.name in blocked:
                continue
            dist = getattr(ep, "dist", None)
            where = f"{dist.name} {dist.version}" if dist else ep.value
            self._load(ep.name, "entry_point", where, ep.load,
                       version=dist.version if dist else None)

    def _load_path(self, path: Path, blocked: set[str]) -> None:
        if path.is_dir():
            files = sorted(p for p in path.glob("*.py") if not p.name.startswith("_"))
            if not files:
                hint = (" (it looks like a plugin package: install it with pip install)"
                        if (path / "pyproject.toml").is_file() or (path / "setup.py").is_file() else "")
                self._problem(f"plugin path {path}: a folder with no .py plugin file in it{hint}")
                return
        elif path.is_file() and path.suffix == ".py":
            files = [path]
        else:
            self._problem(f"plugin path {path}: not a .py file or a folder of them")
            return
        for file in files:
            name = file.stem
            if name in blocked:
                continue
            self._load(name, "local", str(file), functools.partial(_import_file, file))

    def _load(self, name: str, origin: str, where: str, importer: Callable[[], Any],
              version: str | None = None) -> None:
        info = PluginInfo(name=name, origin=origin, where=where, version=version)
        if name in self.plugins:
            self._problem(f"plugin {name!r} from {where}: a plugin of that name is already "
                          f"loaded from {self.plugins[name].where}; skipped")
            return
        self.plugins[name] = info
        try:
            module = importer()
        except (Exception, SystemExit) as exc:  # a plugin's import may raise anything
            info.error = f"failed to import: {_one_line(exc)}"
            self._problem(f"plugin {name!r} ({where}) {info.error}")
            return
        needed = getattr(module, "vendordd_plugin_api", 1)
        if not isinstance(needed, int) or needed > PLUGIN_API:
            info.error = (f"needs vendordd plugin API {needed!r}, this vendordd provides "
                          f"{PLUGIN_API}; upgrade vendordd or use an older plugin")
            self._problem(f"plugin {name!r} ({where}) {info.error}")
            return
        if info.version is None:
            info.version = _module_version(module)
        try:
            self.pm.register(module, name=name)
        except pluggy.PluginValidationError as exc:
            info.error = f"has an invalid hook implementation: {_one_line(exc)}"
            self._problem(f"plugin {name!r} ({where}) {info.error}")
            return
        except ValueError as exc:
            info.error = _one_line(exc)
            self._problem(f"plugin {name!r} ({where}) could not be registered: {info.error}")
            return
        info.loaded = True
        info.hooks = sorted(impl_name for impl_name in dir(module)
                            if hasattr(getattr(module, impl_name, None), "vendordd_impl"))

    def register_object(self, plugin: object, name: str, *, origin: str = "local",
                        where: str = "in-process") -> None:
        """Register an already-imported plugin object (tests and the testing helpers)."""
        self._load(name, origin, where, lambda: plugin)
        self._check_unknown_hooks()
        self._checks = None
        self._schemas = None

    def unregister(self, name: str) -> None:
        """Remove a plugin registered under ``name`` (tests)."""
        plugin = self.pm.get_plugin(name)
        if plugin is not None:
            self.pm.unregister(plugin, name=name)
        self.plugins.pop(name, None)
        self._checks = None
        self._schemas = None

    def _check_unknown_hooks(self) -> None:
        """Unregister plugins that implement hooks this vendordd does not have."""
        for hook_name in sorted(vars(self.pm.hook)):
            caller = getattr(self.pm.hook, hook_name)
            if not isinstance(caller, pluggy.HookCaller) or caller.spec is not None:
                continue
            for impl in caller.get_hookimpls():
                if impl.optionalhook:
                    continue
                name = impl.plugin_name
                info = self.plugins.get(name)
                if info is not None:
                    info.loaded = False
                    info.error = (f"implements unknown hook {hook_name!r} (written for a newer "
                                  f"vendordd?); not loaded")
                self._problem(f"plugin {name!r} implements unknown hook {hook_name!r} "
                              f"(written for a newer vendordd?); not loaded")
                if self.pm.get_plugin(name) is not None:
                    self.pm.unregister(name=name)

    def problem(self, message: str) -> None:
        """Record a plugin problem (one line naming the plugin); under ``strict`` raise PluginError."""
        self._problem(message)

    def _problem(self, message: str) -> None:
        if self.strict:
            raise PluginError(message)
        self.problems.append(message)

    # -- calling hooks ---------------------------------------------------------

    def _impls(self, hook_name: str) -> list[pluggy.HookImpl]:
        """A hook's implementations: built-ins, then entry points, then local plugins, each by name.

        Never pluggy's order (last registered first), so that output never
        depends on load order, and a built-in always comes first.
        """
        caller = getattr(self.pm.hook, hook_name)
        order = {"builtin": 0, "entry_point": 1, "local": 2}

        def key(impl: pluggy.HookImpl) -> tuple[int, str]:
            info = self.plugins.get(impl.plugin_name)
            return (order.get(info.origin, 3) if info else 3, impl.plugin_name)

        return sorted(caller.get_hookimpls(), key=key)

    def _call_one(self, hook_name: str, impl: pluggy.HookImpl, kwargs: Mapping[str, Any]) -> tuple[bool, Any]:
        """Call one implementation in its own guard: ``(True, result)``, or ``(False, None)`` after a problem.

        Every hook call of the host goes through here, so ``--debug`` traces
        each one. A raising implementation becomes a problem naming the plugin
        (:class:`PluginError` under ``strict``); the others still run.
        """
        if self.trace:
            sys.stderr.write(f"vendordd trace: {hook_name} -> {impl.plugin_name}\n")
        try:
            return True, impl.function(*[kwargs[a] for a in impl.argnames])
        except PluginError:
            raise
        except Exception as exc:  # isolation is the point
            self.tracebacks.append(traceback.format_exc())
            self._problem(f"plugin {impl.plugin_name!r} failed in {hook_name}: {_one_line(exc)}")
            return False, None

    def call_each(self, hook_name: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call every implementation of a hook, each in its own guard; ``(plugin name, result)`` pairs.

        The results of implementations that raised are left out (each is a
        problem naming its plugin).
        """
        out: list[tuple[str, Any]] = []
        for impl in self._impls(hook_name):
            ok, result = self._call_one(hook_name, impl, kwargs)
            if ok:
                out.append((impl.plugin_name, result))
        return out

    def checks(self) -> dict[str, RegisteredCheck]:
        """``register_checks``: every registered check by id, in id order. Duplicate ids raise PluginError."""
        if self._checks is not None:
            return self._checks
        found: dict[str, RegisteredCheck] = {}
        for impl in self._impls("register_checks"):
            plugin = impl.plugin_name

            def register(check: Check, plugin: str = plugin) -> None:
                # Refusals are problems, never exceptions into the plugin: its later
                # registrations still count (docs/plugins.md, register_checks).
                if not isinstance(check, Check):
                    self._problem(f"plugin {plugin!r}: register() takes a vendordd.Check, not "
                                  f"{type(check).__name__}; ignored")
                elif check.id in found:
                    self._problem(f"plugin {plugin!r}: check id {check.id!r} is already registered by "
                                  f"plugin {found[check.id].plugin!r}; {plugin!r}'s check is not run")
                else:
                    found[check.id] = RegisteredCheck(check, plugin)

            self._call_one("register_checks", impl, {"register": register})
        self._checks = dict(sorted(found.items()))
        for rc in self._checks.values():
            info = self.plugins.get(rc.plugin)
            if info is not None and rc.check.id not in info.checks:
                info.checks.append(rc.check.id)
        return self._checks

    def schemas(self) -> dict[str, tuple[Mapping[str, Any], str]]:
        """``register_schemas``: extension schema fragments, ``{extension name: (schema, plugin)}``.

        A fragment that is not a valid Draft 2020-12 schema, or that reuses
        another plugin's extension name, is a problem and is left out.
        """
        if self._schemas is not None:
            return self._schemas
        found: dict[str, tuple[Mapping[str, Any], str]] = {}
        for impl in self._impls("register_schemas"):
            plugin = impl.plugin_name

            def register(name: str, schema: Mapping[str, Any], plugin: str = plugin) -> None:
                # A refused fragment is a problem, never an exception into the plugin: its
                # other registrations count, and its data is accepted unvalidated.
                problem = fragment_problem(name, schema, found)
                if problem is None:
                    found[name] = (schema, plugin)
                else:
                    self._problem(f"plugin {plugin!r}: {problem}; its data is not validated")

            self._call_one("register_schemas", impl, {"register": register})
        self._schemas = dict(sorted(found.items()))
        return self._schemas

    def analyse_portfolio(self, results: Mapping[str, Any], portfolio: Mapping[str, Any] | None,
                          policy: Mapping[str, Any]) -> dict[str, Any]:
        """``analyse_portfolio``: every plugin's sections merged (a taken section name is a problem)."""
        merged: dict[str, Any] = {}
        for name, section in self.call_each("analyse_portfolio", results=results, portfolio=portfolio,
                                            policy=policy):
            if not section:
                continue
            if not isinstance(section, Mapping):
                self._problem(f"plugin {name!r} returned {type(section).__name__} from "
                              f"analyse_portfolio, not a mapping; ignored")
                continue
            for key, value in section.items():
                if key in merged:
                    self._problem(f"plugin {name!r}: portfolio section {key!r} is already taken; ignored")
                else:
                    merged[key] = value
        return merged

    def scorecard_sheets(self, workbook: Any, results: Mapping[str, Any], policy: Mapping[str, Any],
                         writer: Any) -> None:
        """``scorecard_sheets``: let every plugin add its sheets to the workbook.

        The sheets a failing implementation made are removed (``writer.discard``),
        so no half-written sheet reaches the workbook.
        """
        kwargs = {"workbook": workbook, "results": results, "policy": policy, "writer": writer}
        for impl in self._impls("scorecard_sheets"):
            before = list(workbook.worksheets)
            ok, _ = self._call_one("scorecard_sheets", impl, kwargs)
            if not ok:
                writer.discard([ws for ws in workbook.worksheets if ws not in before])

    def vendor_sections(self, vendor: Mapping[str, Any], results: Mapping[str, Any],
                        policy: Mapping[str, Any]) -> list[tuple[str, Any]]:
        """``vendor_sheet_section``: each plugin's section for this vendor, ``(plugin name, VendorSection)``.

        An implementation that raises or returns a malformed section gives no
        section for this vendor; its failures are counted per plugin and
        become one problem each in :meth:`report_section_failures` (under
        ``strict``, the first one raises :class:`PluginError` at once).
        """
        from .sections import section_problems

        out: list[tuple[str, Any]] = []
        kwargs = {"vendor": vendor, "results": results, "policy": policy}
        for impl in self._impls("vendor_sheet_section"):
            name = impl.plugin_name
            if self.trace:
                sys.stderr.write(f"vendordd trace: vendor_sheet_section -> {name}\n")
            try:
                section = impl.function(*[kwargs[a] for a in impl.argnames])
                problems = [] if section is None else section_problems(section)
                error = "; ".join(problems) if problems else None
            except Exception as exc:  # isolation is the point
                error = _one_line(exc)
                if name not in self._section_failures:
                    self.tracebacks.append(traceback.format_exc())
            if error is None:
                if section is not None:
                    out.append((name, section))
                continue
            if self.strict:
                raise PluginError(f"plugin {name!r} failed in vendor_sheet_section for vendor "
                                  f"{vendor.get('id')!r}: {error}")
            failure = self._section_failures.setdefault(name, {"vendors": [], "error": error})
            failure["vendors"].append(vendor.get("id"))
        return out

    def report_section_failures(self) -> list[str]:
        """One problem per plugin whose ``vendor_sheet_section`` failed, with a count; those lines.

        Called once the vendor sheets are written; the failures are then cleared.
        """
        lines = []
        for name in sorted(self._section_failures):
            failure = self._section_failures[name]
            vendors = failure["vendors"]
            who = (f"vendor {vendors[0]!r}" if len(vendors) == 1
                   else f"{len(vendors)} vendors (first {vendors[0]!r})")
            lines.append(f"plugin {name!r} failed in vendor_sheet_section for {who}: {failure['error']}; "
                         f"its section is left out")
        self._section_failures.clear()
        for line in lines:
            self._problem(line)
        return lines

    def info(self) -> list[PluginInfo]:
        """Every plugin the host saw, loaded or not, sorted by origin then name."""
        self.checks()
        order = {"builtin": 0, "entry_point": 1, "local": 2}
        return sorted(self.plugins.values(), key=lambda p: (order.get(p.origin, 9), p.name))


def _module_version(module: ModuleType) -> str | None:
    version = getattr(module, "__version__", None)
    if version is None and getattr(module, "__name__", "").startswith("vendordd."):
        from . import __version__ as version
    return str(version) if version is not None else None


def _import_file(path: Path) -> ModuleType:
    """Import a local plugin file as its own module (``vendordd_local_<stem>``)."""
    modname = f"vendordd_local_{path.stem}"
    spec = importlib.util.spec_from_file_location(modname, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[modname] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(modname, None)
        raise
    return module


def fragment_problem(name: Any, schema: Any, taken: Mapping[str, tuple[Any, str]]) -> str | None:
    """Why an extension schema fragment cannot be used, or None.

    It must have a non-empty name no other plugin took, be a valid Draft
    2020-12 schema, and every ``$ref`` in it must resolve within the profile
    schema it joins (fragments may ``$ref`` the core ``#/$defs``); nothing is
    fetched from the network.
    """
    from jsonschema import Draft202012Validator, SchemaError
    from referencing import Registry
    from referencing.exceptions import Unresolvable
    from referencing.jsonschema import DRAFT202012

    from .validation import profile_schema

    if not isinstance(name, str) or not name:
        return "register(name, schema) needs a non-empty extension name; ignored"
    if name in taken:
        return f"extension {name!r} is already defined by plugin {taken[name][1]!r}"
    if not isinstance(schema, Mapping):
        return f"the schema for extension {name!r} is {type(schema).__name__}, not a mapping"
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        where = "/" + "/".join(map(str, exc.path)) if exc.path else "/"
        return f"the schema for extension {name!r} is not a valid JSON Schema at {where}: {exc.message}"
    full = profile_schema({name: (schema, "")})
    resource = DRAFT202012.create_resource(full)
    base = resource.id() or ""
    resolver = Registry().with_resource(base, resource).resolver(base_uri=base)
    for ref in _refs(schema):
        try:
            resolver.lookup(ref)
        except Unresolvable:
            return f"the schema for extension {name!r} has a $ref that does not resolve: {ref!r}"
    return None


def _refs(node: Any) -> list[str]:
    if isinstance(node, Mapping):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for key, value in node.items() if key not in ("const", "enum", "examples", "default")
                      for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []
