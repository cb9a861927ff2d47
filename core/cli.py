"""The ``vendordd`` command line (click).

Exit codes: 0 done; 1 a vendor at or above ``--fail-on``; 2 bad usage or
bad input. Errors are one line each on stderr, never a traceback unless
``--debug``. Heavy modules (openpyxl, jsonschema, plugins) are imported inside
the commands that need them, so ``vendordd --help`` and ``--version`` stay
fast and never import third-party plugin code.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Mapping
from typing import Any

import click

from . import __version__
from .cli_errors import Fail

LEVELS = ("low", "medium", "high", "critical")


def _debug() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().params.get("debug"))


def _warn(line: str) -> None:
    click.echo(f"vendordd: warning: {line}", err=True)


def _error_lines(problems: Any) -> None:
    for p in problems:
        click.echo(f"vendordd: error: {p}", err=True)


def _host(plugin_paths: tuple[str, ...], strict: bool, policy_path: str | None = None):
    from .host import PluginError
    from .loader import InputError
    from .policy import load_policy
    from .profile_files import build_host

    try:
        policy, _ = load_policy(policy_path)
        host = build_host(policy, plugin_paths, strict, trace=_debug() or None)
        host.checks()
    except InputError as exc:
        raise Fail("\n".join(map(str, exc.problems))) from None
    except PluginError as exc:
        raise Fail(str(exc)) from None
    for line in host.problems:
        _warn(line)
    return host


plugin_option = click.option("--plugin", "plugin_paths", multiple=True, metavar="PATH",
                             help="A plugin .py file or a folder of them (repeatable).")
strict_option = click.option("--strict", is_flag=True,
                             help="Treat a plugin that fails to load as a fatal error.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="vendordd")
@click.option("--debug", is_flag=True, help="Show tracebacks and trace plugin hook calls.")
def cli(debug: bool) -> None:
    """Due-diligence checks on suppliers, with an Excel scorecard for procurement.

    \b
    Quick start:
      vendordd run examples/profiles -o scorecard.xlsx --json results.json
      vendordd validate examples/profiles
      vendordd checks
    """


@cli.command()
@click.argument("profiles", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the Excel scorecard here.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False),
              help="Write the JSON results here ('-' for standard output).")
@click.option("--json-indent", "json_indent", type=click.IntRange(1, 8), metavar="N",
              help="Indent the JSON results by N spaces per level, for people [default: compact].")
@click.option("--policy", type=click.Path(dir_okay=False), help="Policy file (YAML, TOML or JSON).")
@click.option("--portfolio", type=click.Path(dir_okay=False), help="Portfolio file (YAML or JSON).")
@click.option("--baseline", type=click.Path(dir_okay=False), help="An earlier run's JSON results to compare with.")
@click.option("--overrides", type=click.Path(dir_okay=False),
              help="An exceptions register (YAML/JSON list of overrides), added to the policy's.")
@click.option("--screening-list", "screening_lists", multiple=True, type=click.Path(dir_okay=False),
              metavar="FILE", help="A sanctions/export-control list file to screen vendors against "
                                   "(CSL CSV/JSON, OFAC sdn.csv, OpenSanctions FtM JSON lines; repeatable).")
@click.option("--template", type=click.Path(dir_okay=False), help="An .xlsx workbook to add the scorecard to.")
@click.option("--as-of", "as_of", metavar="DATE", help="Assessment date (YYYY-MM-DD); default: the policy's, else today.")
@click.option("--checks", "only", metavar="ID,...", help="Run only these checks.")
@click.option("--fail-on", type=click.Choice(LEVELS), help="Exit 1 when any vendor's tier is at or above this, or it has no tier.")
@click.option("--vendor-sheets", type=int, default=250, show_default=True,
              help="Per-vendor sheets for at most this many vendors (the summary and flat tables always have all).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Processes assessing profiles [default: one per CPU from 64 profiles on, Linux; else 1].")
@plugin_option
@strict_option
def run(profiles: tuple[str, ...], output: str | None, json_path: str | None, policy: str | None,
        portfolio: str | None, baseline: str | None, overrides: str | None, template: str | None, as_of: str | None, only: str | None,
        fail_on: str | None, vendor_sheets: int, plugin_paths: tuple[str, ...], strict: bool,
        screening_lists: tuple[str, ...] = (), jobs: int | None = None, json_indent: int | None = None) -> None:
    """Assess PROFILES (files, folders or globs) and write the scorecard."""
    from .host import PluginError
    from .loader import InputError
    from .outputs import OutputError, Outputs
    from .pipeline import assess

    if as_of:
        _check_date(as_of)
    if json_indent is not None and not json_path:
        raise click.UsageError("--json-indent sets the layout of the JSON results: give --json FILE (or -) too")
    progress = _progress if sys.stderr.isatty() else None
    outputs = Outputs(workbook=output, json=json_path, template=template, vendor_sheets=vendor_sheets,
                      json_indent=json_indent)
    try:
        outcome = assess(profiles, policy_path=policy, portfolio_path=portfolio,
                         plugin_paths=plugin_paths, as_of=as_of,
                         only_checks=[c.strip() for c in only.split(",") if c.strip()] if only else None,
                         strict=strict, baseline_path=baseline,
                         overrides_path=overrides, trace=_debug() or None, progress=progress,
                         screening_lists=screening_lists, jobs=jobs, outputs=outputs)
    except InputError as exc:
        raise Fail("\n".join(map(str, exc.problems))) from None
    except (PluginError, OutputError) as exc:
        raise Fail(str(exc)) from None
    for line in outcome.warnings:
        _warn(line)
    if _debug():
        _show_tracebacks(outcome)
    _error_lines(outcome.input_problems)
    results = outcome.results
    if not output and json_path != "-":
        click.echo(render_table(results))
    _report_run(results, output, json_path)
    if strict and outcome.check_failures:
        raise Fail(f"{len(outcome.check_failures)} check(s) failed (--strict); the outputs were written")
    if outcome.input_problems:
        ctx = click.get_current_context()
        ctx.exit(2)
    if fail_on and _at_or_above(results, fail_on):
        click.get_current_context().exit(1)


def _report_run(results: Mapping[str, Any], output: str | None, json_path: str | None) -> None:
    """One line per output written, then the tally of verdicts (on stderr when stdout is the JSON)."""
    from .verdicts import tally

    to_stderr = json_path == "-"
    for path in (output, json_path):
        if path and path != "-":
            click.echo(f"wrote {path}", err=to_stderr)
    click.echo(tally(results["vendors"]), err=to_stderr)


def _at_or_above(results: Mapping[str, Any], fail_on: str) -> bool:
    """Name on stderr each vendor whose tier is at or above ``fail_on``, or that has no tier (fail
    closed); True when there is one."""
    found = False
    for vendor in results["vendors"]:
        tier = vendor["overall"]["tier"]
        who = f"{vendor.get('name') or vendor['id']} ({vendor['id']})"
        if not tier:  # fail closed: nothing could be rated, so its risk is unknown
            found = True
            click.echo(f"vendordd: {who} has no tier (nothing could be rated): treated as at or above "
                       f"--fail-on {fail_on}", err=True)
        elif LEVELS.index(tier) >= LEVELS.index(fail_on):
            found = True
            click.echo(f"vendordd: {who} is rated {tier}, at or above --fail-on {fail_on}", err=True)
    return found


def _show_tracebacks(outcome: Any) -> None:
    """--debug: the traceback of every failed hook call, and the last frames of each failed check."""
    for text in outcome.host.tracebacks if outcome.host else ():
        click.echo(text.rstrip("\n"), err=True)
    for failure in outcome.check_failures:
        click.echo(f"Traceback (last frames) of check {failure['check']!r} on vendor "
                   f"{failure['vendors'][0]!r}:", err=True)
        for frame in failure["traceback"]:
            click.echo(f"  {frame}", err=True)
        click.echo(f"{failure['error']}", err=True)


def _progress(done: int, total: int) -> None:
    if done == total or done % 25 == 0:
        click.echo(f"\rassessed {done}/{total}", err=True, nl=done == total)


def _check_date(value: str) -> None:
    import datetime as dt

    try:
        dt.date.fromisoformat(value)
        if len(value) != 10:
            raise ValueError
    except ValueError:
        raise Fail(f"--as-of {value!r}: not a date (YYYY-MM-DD)") from None


def render_table(results: Mapping[str, Any]) -> str:
    """A plain-text summary table of the vendors (what ``run`` prints without -o)."""
    cats = sorted({c for v in results["vendors"] for c in v["areas"]})
    head = ["vendor", "score", "tier", "recommendation", "conf", *cats]
    rows = []
    for v in results["vendors"]:
        o = v["overall"]
        rows.append([v["id"], _num(o["score"]), o["tier"] or "n/a", o["recommendation"],
                     f"{o['confidence']:.0%}", *(_num(v["areas"].get(c)) for c in cats)])
    return (_columns(head, rows) + f"\nas of {results['as_of']}; {len(results['vendors'])} vendor(s) "
            f"assessed, {len({e['file'] for e in results['errors']})} file(s) rejected")


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


@cli.command()
@click.argument("profiles", nargs=-1, required=True)
@plugin_option
@strict_option
def validate(profiles: tuple[str, ...], plugin_paths: tuple[str, ...], strict: bool) -> None:
    """Check PROFILES against the schema (with plugin extensions); exit 2 on any error."""
    from .host import PluginError
    from .loader import InputError, expand_paths
    from .profile_files import prepare_validation, unique_vendors, validate_one

    try:
        host, validator = prepare_validation(plugin_paths=plugin_paths, strict=strict, trace=_debug() or None)
    except InputError as exc:
        raise Fail("\n".join(map(str, exc.problems))) from None
    except PluginError as exc:
        raise Fail(str(exc)) from None
    files, problems = expand_paths(profiles)
    # one profile at a time is held, however many there are
    valid = unique_vendors((validate_one(path, validator) for path in files), problems)
    for line in host.problems:
        _warn(line)
    _error_lines(problems)
    click.echo(f"{len(valid)} profile(s) valid, {len({p.file for p in problems})} file(s) with errors")
    if problems:
        click.get_current_context().exit(2)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@plugin_option
@strict_option
def checks(as_json: bool, plugin_paths: tuple[str, ...], strict: bool) -> None:
    """List the checks: id, title, category, plugin, version, weight."""
    host = _host(plugin_paths, strict)
    rows = [{"id": rc.check.id, "title": rc.check.title, "category": rc.check.category,
             "plugin": rc.plugin, "version": rc.check.version, "weight": rc.check.weight,
             "needs": list(rc.check.needs), "doc": rc.check.doc}
            for rc in host.checks().values()]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(_columns(["id", "title", "category", "plugin", "version", "weight"],
                        [[r["id"], r["title"], r["category"], r["plugin"], r["version"], r["weight"]]
                         for r in rows]))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@plugin_option
@strict_option
def plugins(as_json: bool, plugin_paths: tuple[str, ...], strict: bool) -> None:
    """List the plugins: name, version, origin, checks and hooks."""
    host = _host(plugin_paths, strict)
    infos = [p.as_dict() for p in host.info()]
    if as_json:
        click.echo(json.dumps(infos, indent=2))
        return
    click.echo(_columns(["name", "version", "origin", "where", "checks", "hooks", "status"],
                        [[p["name"], p["version"] or "", p["origin"], p["where"],
                          ",".join(p["checks"]), ",".join(p["hooks"]),
                          "loaded" if p["loaded"] else f"failed: {p['error']}"] for p in infos]))


def _columns(head: list[str], rows: list[list[Any]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)] if rows else list(map(len, head))
    out = ["  ".join(str(x).ljust(w) for x, w in zip(r, widths)).rstrip() for r in [head, *rows]]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


@cli.command()
@click.option("--kind", type=click.Choice(["profile", "policy", "portfolio", "results"]),
              default="profile", show_default=True)
@click.option("--core", is_flag=True, help="The core profile schema without plugin extensions.")
@plugin_option
def schema(kind: str, core: bool, plugin_paths: tuple[str, ...]) -> None:
    """Print a JSON Schema (Draft 2020-12); the profile schema includes plugin extensions."""
    from .validation import load_schema, profile_schema

    if kind == "profile" and not core:
        host = _host(plugin_paths, False)
        shown = len(host.problems)
        data = profile_schema(host.schemas())
        for line in host.problems[shown:]:
            _warn(line)
    else:
        data = load_schema(kind)
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@cli.command("new-plugin")
@click.argument("name")
@click.option("-d", "--dest", type=click.Path(file_okay=False), default=".", show_default=True,
              help="The folder to create the package folder NAME in.")
def new_plugin(name: str, dest: str) -> None:
    """Write an installable plugin package NAME: a check, its schema fragment, a test, a README."""
    from pathlib import Path

    from .scaffold import write_plugin_package

    try:
        root = write_plugin_package(name, Path(dest))
    except (ValueError, FileExistsError) as exc:
        raise Fail(str(exc)) from None
    except OSError as exc:
        raise Fail(f"{dest}: cannot write the plugin package: {exc.strerror or exc}") from None
    shown = str(root) if root.is_absolute() else f"./{root}"
    click.echo(f"wrote {shown}\n"
               f'next:  pip install -e "{shown}[test]"\n'
               f"       cd {shown} && python -m pytest\n"
               f"       vendordd checks      # lists {name}")


@cli.command()
@click.argument("dest", type=click.Path(file_okay=False), default="examples", required=False)
def examples(dest: str) -> None:
    """Copy the example profiles, buyer policies and portfolio into DEST [default: ./examples]."""
    from pathlib import Path

    from .bundled_examples import copy_examples

    try:
        written = copy_examples(Path(dest))
    except (FileExistsError, FileNotFoundError) as exc:
        raise Fail(str(exc)) from None
    except OSError as exc:
        raise Fail(f"{dest}: cannot write the examples: {exc.strerror or exc}") from None
    profiles = sum(1 for p in written if p.parent.name == "profiles")
    click.echo(f"wrote {len(written)} files to {dest}: {profiles} profiles, 2 buyer policies, a portfolio\n"
               f"next:  vendordd run {dest}/profiles --policy {dest}/policy-us-buyer.yaml "
               f"--portfolio {dest}/portfolio.yaml --as-of 2026-11-29 -o scorecard.xlsx")


@cli.command()
@click.argument("old", type=click.Path(dir_okay=False, exists=True))
@click.argument("new", type=click.Path(dir_okay=False, exists=True))
@click.option("--step", type=float, help="Alert step in score points (default: NEW's policy diff_alert_step).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def diff(old: str, new: str, step: float | None, as_json: bool) -> None:
    """Show what changed between two results files; exit 1 when a vendor got worse."""
    from .diff import compare, render
    from .inputs import load_baseline
    from .loader import InputError

    try:
        before, after = load_baseline(old), load_baseline(new)
    except InputError as exc:
        raise Fail("\n".join(map(str, exc.problems))) from None
    result = compare(before.data, after.data, step)
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        click.echo(render(result, {v["id"]: v["name"] for v in after.data["vendors"]}))
    if result["got_worse"]:
        click.get_current_context().exit(1)


@cli.command()
@click.argument("target", metavar="NAME|PROFILE")
@click.option("--screening-list", "screening_lists", multiple=True, type=click.Path(dir_okay=False),
              metavar="FILE", help="A list file: CSL CSV/JSON, OFAC sdn.csv or OpenSanctions FtM JSON lines "
                                   "(repeatable; added to the policy's screening.lists).")
@click.option("--policy", type=click.Path(dir_okay=False),
              help="Policy file: screening lists, thresholds, clearances and the lists the buyer is bound by.")
@click.option("--country", "countries", multiple=True, metavar="CC",
              help="Country code corroborating a match (repeatable; default: a profile's headquarters and "
                   "jurisdictions).")
@click.option("--as-of", "as_of", metavar="DATE",
              help="Date for list age and clearance expiry (YYYY-MM-DD); default: the policy's, else today.")
@click.option("--fail-on", type=click.Choice(["strong", "potential"]), default="strong", show_default=True,
              help="Exit 1 when a match at least this strong, not cleared by the policy, is found.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def screen(target: str, screening_lists: tuple[str, ...], policy: str | None, countries: tuple[str, ...],
           as_of: str | None, fail_on: str, as_json: bool) -> None:
    """Screen a vendor NAME, or every name in a PROFILE, against sanctions and export-control lists.

    \b
    Exit codes: 0 no match at or above --fail-on (default strong); 1 such a
    match that the policy's screening.clearances do not clear; 2 bad input.
    """
    import datetime as dt

    from .loader import InputError
    from .policy import as_of_date, load_policy
    from .screening import load_screening

    if as_of:
        _check_date(as_of)
    try:
        pol, _ = load_policy(policy)
        day = as_of_date(as_of, pol, dt.date.today())
        names, places, vendor_id = _screen_query(target)
        screener, warnings = load_screening(screening_lists, pol, day)
    except InputError as exc:
        raise Fail("\n".join(map(str, exc.problems))) from None
    if screener is None:
        raise Fail("no screening list: give --screening-list FILE or a --policy with screening.lists")
    places = list(countries) or places
    bound = {str(x).strip().upper() for x in (pol.get("buyer") or {}).get("bound_by_lists") or ()}
    rows = []
    for match in screener.screen([n for n, _ in names], places):
        cleared, note = screener.clearance(vendor_id, match, day) if vendor_id else (None, None)
        if note:
            warnings.append(note)
        rows.append({**match.as_dict(), "name_role": dict(names).get(match.vendor_name, "name"),
                     "bound": match.entry.list_id in bound,
                     "cleared": None if cleared is None else {k: cleared.get(k) for k in (
                         "reason", "approved_by", "approved_on", "expires")}})
    for line in warnings:
        _warn(line)
    if as_json:
        click.echo(json.dumps({"as_of": day.isoformat(), "vendor": vendor_id,
                               "names": [{"name": n, "role": r} for n, r in names], "countries": places,
                               "screening": screener.summary(), "matches": rows, "warnings": warnings},
                              indent=2, ensure_ascii=False))
    else:
        click.echo(_render_screen(names, places, screener, rows))
    if any(r["cleared"] is None and (fail_on == "potential" or r["strength"] == "strong") for r in rows):
        click.get_current_context().exit(1)


def _screen_query(target: str) -> tuple[list[tuple[str, str]], list[str], str | None]:
    """(names with roles, countries, vendor id) for ``vendordd screen``: a profile file, or a name."""
    from pathlib import Path

    from .loader import PROFILE_SUFFIXES, InputError, Problem, load_file
    from .screening import vendor_names

    path = Path(target)
    if path.suffix.lower() in PROFILE_SUFFIXES and not path.is_file():
        raise InputError([Problem(target, "no such profile file (quote a name that ends in "
                                          f"{path.suffix!r} to screen it as a name)")])
    if not path.is_file():
        return [(target, "name")], [], None
    doc = load_file(path)
    vendor = doc.data.get("vendor") if isinstance(doc.data, dict) else None
    if not isinstance(vendor, dict) or not isinstance(vendor.get("name"), str):
        raise InputError([Problem(doc.name, "not a vendor profile: no vendor.name", "/vendor")])
    names, places = vendor_names(doc.data)
    vendor_id = vendor.get("id") if isinstance(vendor.get("id"), str) else None
    return names, places, vendor_id


def _render_screen(names: list[tuple[str, str]], places: list[str], screener: Any,
                   rows: list[dict[str, Any]]) -> str:
    """The terminal report of ``vendordd screen``: what was screened, against what, the matches."""
    lines = [f"Screened {len(names)} name(s)" + (f" (countries {', '.join(places)})" if places else "")
             + f" against {len(screener.entries)} entries:"]
    for lst in screener.lists:
        dated = f"dated {lst.date} ({lst.date_source})" if lst.date else f"date {lst.date_source}"
        lines.append(f"  {lst.file}: {lst.format}, {len(lst.entries)} entries, {dated}, "
                     f"sha256 {lst.sha256[:12]}")
    if not rows:
        return "\n".join([*lines, "No match."])
    strong = sum(1 for r in rows if r["strength"] == "strong")
    lines.append(f"{strong} strong and {len(rows) - strong} potential match(es):")
    table = [[r["strength"] + (" (cleared)" if r["cleared"] else ""), f"{r['score']:g}",
              r["list"] + (" (bound)" if r["bound"] else ""), r["vendor_name"], r["listed_name"],
              r["entry_name"] if r["entry_name"] != r["listed_name"] else "",
              ", ".join(r["programs"]), r["citation"] or "", r["start_date"] or "",
              r["country"]] for r in rows]
    return "\n".join([*lines, _columns(["strength", "score", "list", "vendor name", "listed name",
                                        "listed as", "programmes", "citation", "since", "country"],
                                       table)])


def slugify(name: str) -> str:
    """A vendor id from a name: lowercase ASCII letters, digits and dashes."""
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:63]
    return slug or "vendor"


@cli.command("new-profile")
@click.argument("name")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Where to write it (default: <id>.yaml here; '-' for standard output).")
def new_profile(name: str, output: str | None) -> None:
    """Write a commented profile skeleton for the vendor NAME."""
    from importlib import resources

    template = resources.files("vendordd.templates").joinpath("profile.yaml").read_text("utf-8")
    vendor_id = slugify(name)
    # JSON string escapes are valid inside a YAML double-quoted scalar.
    text = template.replace("{{id}}", vendor_id).replace("{{name}}", json.dumps(name)[1:-1])
    if output == "-":
        click.echo(text, nl=False)
        return
    path = output or f"{vendor_id}.yaml"
    if os.path.exists(path):
        raise Fail(f"{path}: already exists; not overwritten")
    try:
        with open(path, "x", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise Fail(f"{path}: cannot write: {exc.strerror or exc}") from None
    click.echo(f"wrote {path}: fill it in, then run: vendordd validate {path}")


def _no_full_collections() -> None:
    """Stop automatic full garbage collections in this (short-lived) process.

    A run keeps every profile and result alive to the end, so each full
    collection walks the whole, growing heap again: a quarter to a third of a
    large run went there (benchmarks/README.md). Reference counting still frees
    acyclic garbage at once and the young generations are still collected, so
    only cyclic garbage that outlives two young collections waits for the exit.
    """
    import gc

    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 2**31 - 1)


def _add_collect() -> None:
    from .collect.commands import collect_group  # imports click only

    cli.add_command(collect_group)


_add_collect()


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the CLI, turning unexpected errors into one line (exit 2).

    SIGTERM is handled like Ctrl-C (exit 143; 130 for Ctrl-C), a standard
    output closed by its reader ends the run quietly (exit 141), and the run's
    temporary files live in one folder removed at the end
    (:mod:`vendordd.lifecycle`).
    """
    from .lifecycle import EXIT_BROKEN_PIPE, OutputClosed, guard_stdout, handle_termination, run_scratch

    _no_full_collections()
    handle_termination()
    guard_stdout()
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        with run_scratch():
            code = cli.main(args=argv, prog_name="vendordd", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt) as exc:
        _stopped(exc)
    except OutputClosed:
        from .lifecycle import silence_stdout

        silence_stdout()
        sys.exit(EXIT_BROKEN_PIPE)
    except OSError as exc:
        if debug:
            raise
        click.echo(f"vendordd: error: {_os_error(exc)} (run with --debug for the traceback)", err=True)
        sys.exit(2)
    except Exception as exc:
        if debug:
            raise
        text = " ".join(str(exc).split())[:300]
        click.echo(f"vendordd: error: {type(exc).__name__}: {text} (run with --debug for the "
                   f"traceback)", err=True)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)


def console() -> None:
    """The ``vendordd`` command (and ``python -m vendordd``): :func:`main`, in a process of its own.

    When the command ends, everything still alive is moved out of the
    garbage collector's reach (``gc.freeze``), so the interpreter's last
    collection does not walk and free what the run built only to exit:
    that was 0.3 s of CPU after a 1,000-profile run (about 4 %), paid
    serially. The interpreter's exit is otherwise the usual one (``atexit``
    handlers, streams flushed, threads joined). Callers inside a longer-lived
    process use :func:`main`, which leaves the collector alone.
    """
    try:
        main()
    finally:
        import gc

        gc.freeze()


def _stopped(exc: BaseException) -> None:
    """Ctrl-C (exit 130) or SIGTERM (exit 143): one line, no traceback (click wraps both in Abort)."""
    from .lifecycle import EXIT_TERMINATED, Terminated

    if isinstance(exc, Terminated) or isinstance(exc.__cause__ or exc.__context__, Terminated):
        click.echo("vendordd: terminated", err=True)
        sys.exit(EXIT_TERMINATED)
    click.echo("vendordd: interrupted" if isinstance(exc, KeyboardInterrupt) else "vendordd: aborted", err=True)
    sys.exit(130)


def _os_error(exc: OSError) -> str:
    """An operating-system error in words, naming the file (or else the temporary folder) it concerns."""
    import tempfile

    reason = exc.strerror or str(exc)
    if exc.filename:
        return f"{exc.filename}: {reason}"
    return (f"{reason} (while writing temporary files in {tempfile.gettempdir()}, or an output; "
            f"set TMPDIR to a folder with room)")
