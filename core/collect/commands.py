"""The ``vendordd collect`` command group (click); the work is in the sibling modules.

Importing this module imports click only: collectors, plugins and
``huggingface_hub`` load when a collect command runs.

Exit codes follow the CLI contract: 0 done (conflicts are reported, not
failures); 2 bad usage, bad input, or a source that could not be read
(offline, rate-limited, a server error after the retries), in which case
nothing is written.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import click

SOURCE_HELP = """Collect facts from public sources into profiles, or download the screening lists.

\b
  vendordd collect huggingface AUTHOR --vendor ID [-o profile.yaml]
  vendordd collect huggingface AUTHOR --vendor ID --profile FILE -o NEW.yaml
  vendordd collect huggingface AUTHOR --vendor ID --profile FILE --dry-run
  vendordd collect lists --list US-CSL --list US-OFAC-SDN --dir lists/
  vendordd collect sources              # every source, with those plugins add

SOURCE is a collector (built in: huggingface; plugins add more through the
register_collectors hook). Collected facts are marked x-collected and merged
without changing what an analyst entered: see docs/collect.md.
"""


def _fail(message: str) -> click.ClickException:
    from ..cli_errors import Fail

    return Fail(message)


def _load_context(policy_path: str | None, plugin_paths: tuple[str, ...]) -> tuple[dict[str, Any], Any, list[str]]:
    """The effective policy, a plugin host, and plugin problems to warn about."""
    from ..host import PluginError
    from ..loader import InputError
    from ..policy import load_policy
    from ..profile_files import build_host

    try:
        policy, _ = load_policy(policy_path)
        host = build_host(policy, plugin_paths, False)
    except InputError as exc:
        raise _fail("\n".join(map(str, exc.problems))) from None
    except PluginError as exc:
        raise _fail(str(exc)) from None
    return policy, host, list(host.problems)


def _parse_day(value: str | None) -> dt.date:
    if value is None:
        return dt.datetime.now(dt.UTC).date()
    try:
        day = dt.date.fromisoformat(value)
        if len(value) != 10:
            raise ValueError
    except ValueError:
        raise _fail(f"--date {value!r}: not a date (YYYY-MM-DD)") from None
    return day


def _progress_printer(what: str) -> Any:
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int | None) -> None:
        text = f"{done}/{total} derivative lookups" if total else f"{done} repositories listed"
        click.echo(f"\r{what}: {text}   ", err=True, nl=False)

    return show


class CollectGroup(click.Group):
    """``collect``'s fixed commands, then one command per registered collector."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from .registry import BUILTIN

        return sorted({*super().list_commands(ctx), *(c.name for c in BUILTIN)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        fixed = super().get_command(ctx, cmd_name)
        if fixed is not None:
            return fixed
        from .registry import BUILTIN, collectors

        builtin = {c.name: c for c in BUILTIN}
        if cmd_name in builtin:
            return source_command(builtin[cmd_name])
        if ctx.resilient_parsing:  # shell completion: do not load plugins
            return None
        _, host, _ = _load_context(None, tuple(ctx.params.get("plugin_paths") or ()))
        found, _ = collectors(host)
        return source_command(found[cmd_name].collector) if cmd_name in found else None


@click.group("collect", cls=CollectGroup, help=SOURCE_HELP)
@click.option("--plugin", "plugin_paths", multiple=True, metavar="PATH",
              help="A plugin .py file or folder that adds collectors (repeatable; before SOURCE).")
def collect_group(plugin_paths: tuple[str, ...]) -> None:
    pass


@collect_group.command("sources")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--policy", type=click.Path(dir_okay=False), help="Policy file (its plugins.paths load too).")
@click.pass_context
def sources_command(ctx: click.Context, as_json: bool, policy: str | None) -> None:
    """List the sources facts can be collected from, built-in and from plugins."""
    import json

    from .registry import collectors

    parent = ctx.parent.params if ctx.parent else {}
    _, host, problems = _load_context(policy, tuple(parent.get("plugin_paths") or ()))
    found, more = collectors(host)
    for line in [*problems, *more]:
        click.echo(f"vendordd: warning: {line}", err=True)
    rows = [{"name": n, "title": r.collector.title, "target": r.collector.target, "plugin": r.plugin}
            for n, r in found.items()]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        click.echo(f"{row['name']:<16} {row['target']:<10} {row['plugin']:<24} {row['title']}")


def source_command(collector: Any) -> click.Command:
    """The ``collect NAME TARGET`` command for one collector."""

    @click.command(collector.name, help=f"{collector.title}.\n\n{collector.doc}\n\nSee docs/collect.md.")
    @click.argument("target", metavar=collector.target)
    @click.option("--vendor", "vendor_id", required=True, metavar="ID", help="The vendor id of the profile.")
    @click.option("--name", "vendor_name", metavar="TEXT", help="The vendor's name for a new profile "
                                                                "(default: the target).")
    @click.option("--profile", "profile_path", type=click.Path(dir_okay=False, exists=True),
                  help="Merge into this existing profile (it is never modified).")
    @click.option("-o", "--output", type=click.Path(dir_okay=False),
                  help="Write the profile here (.json for JSON, else YAML).")
    @click.option("--dry-run", is_flag=True, help="Write nothing; show the changes as a diff.")
    @click.option("--date", "day", metavar="DATE", help="The collection date to record (default: today, UTC).")
    @click.option("--policy", type=click.Path(dir_okay=False), help="Policy file (collect settings, plugins).")
    @click.pass_context
    def command(ctx: click.Context, target: str, vendor_id: str, vendor_name: str | None,
                profile_path: str | None, output: str | None, dry_run: bool, day: str | None,
                policy: str | None) -> None:
        parent = ctx.parent.params if ctx.parent else {}
        run_collection(collector.name, target, vendor_id=vendor_id, vendor_name=vendor_name,
                       profile_path=profile_path, output=output, dry_run=dry_run, day=_parse_day(day),
                       policy_path=policy, plugin_paths=tuple(parent.get("plugin_paths") or ()))

    return command


def run_collection(name: str, target: str, *, vendor_id: str, vendor_name: str | None,
                   profile_path: str | None, output: str | None, dry_run: bool, day: dt.date,
                   policy_path: str | None, plugin_paths: tuple[str, ...]) -> None:
    """Collect, merge, validate, then write or show; see the module docstring for exit codes."""
    import re

    from ..loader import InputError, load_file
    from . import CollectError, CollectRequest
    from .profiles import (
        combine,
        kind_for,
        render,
        render_keeping_comments,
        text_diff,
        unified_diff,
        validate,
        write,
    )
    from .registry import collectors

    if not re.match(r"^[a-z0-9][a-z0-9-]{0,62}$", vendor_id):
        raise _fail(f"--vendor {vendor_id!r}: a vendor id is lower-case letters, digits and dashes")
    if profile_path and not output and not dry_run:
        raise _fail("--profile needs -o FILE (a new file; the profile itself is never overwritten) "
                    "or --dry-run")
    policy, host, problems = _load_context(policy_path, plugin_paths)
    found, more = collectors(host)
    for line in [*problems, *more]:
        click.echo(f"vendordd: warning: {line}", err=True)
    if name not in found:
        raise _fail(f"no collector named {name!r}; see vendordd collect sources")
    base = None
    original: str | None = None  # the profile's YAML text, to keep its comments
    if profile_path:
        try:
            doc = load_file(profile_path)
            base = doc.data
            if doc.kind == "yaml":
                original = doc.path.read_bytes().decode("utf-8-sig")
        except InputError as exc:
            raise _fail("\n".join(map(str, exc.problems))) from None
        before = validate(base, host, profile_path)
        if before:
            raise _fail("\n".join([f"{profile_path} is not a valid profile; fix it first:", *before]))
    options = ((policy.get("collect") or {}).get("sources") or {}).get(name) or {}
    request = CollectRequest(target=target, vendor_id=vendor_id, day=day, options=options,
                             progress=_progress_printer(f"collect {name} {target}"))
    try:
        collected = found[name].collector.collect(request)
        merged, report = combine(collected, collector=name, target=target, vendor_id=vendor_id,
                                 vendor_name=vendor_name, day=day, base=base)
    except CollectError as exc:
        if request.progress is not None:
            click.echo("", err=True)
        raise _fail(str(exc)) from None
    if request.progress is not None:
        click.echo("", err=True)
    shown = output or profile_path or f"{vendor_id}.yaml"
    problems = validate(merged, host, shown)
    if problems:
        raise _fail("\n".join([f"the collected profile would not be valid; nothing was written "
                               f"(a bug in collector {name!r}?):", *problems]))
    click.echo(f"vendordd: collected {collected.summary}", err=True)
    for line in collected.notes:
        click.echo(f"vendordd: note: {line}", err=True)
    if base is not None:
        click.echo(f"vendordd: merge: {report.summary()}", err=True)
        for line in report.conflicts:
            click.echo(f"vendordd: conflict: {line}", err=True)
        for line in report.kept:
            click.echo(f"vendordd: kept: {line}", err=True)
    kind = kind_for(output) if output else ("yaml" if original is not None or base is None else "json")
    text = None
    if original is not None and kind == "yaml":
        text = render_keeping_comments(original, merged, shown)
        if text is None:
            click.echo(f"vendordd: warning: the comments and layout of {profile_path} could not be kept "
                       f"(ruamel.yaml missing, or its round trip differed); the YAML is rewritten", err=True)
    if dry_run:
        if text is not None and original is not None:
            click.echo(text_diff(original, text, shown), nl=False)
        else:
            click.echo(unified_diff(base, merged, shown), nl=False)
        click.echo("vendordd: --dry-run: nothing written", err=True)
        return
    if text is None:
        text = render(merged, kind)
    if output:
        try:
            write(output, text, [p for p in (profile_path,) if p])
        except CollectError as exc:
            raise _fail(str(exc)) from None
        click.echo(f"vendordd: wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@collect_group.command("lists")
@click.option("--list", "list_ids", multiple=True, metavar="ID",
              help="A list to download (repeatable): US-CSL, US-OFAC-SDN, OPENSANCTIONS-SANCTIONS, "
                   "OPENSANCTIONS-DEFAULT, or an id the policy's collect.lists adds.")
@click.option("--dir", "folder", type=click.Path(file_okay=False), default="lists", show_default=True,
              help="The folder the files go to (--screening-list reads them from there).")
@click.option("--policy", type=click.Path(dir_okay=False), help="Policy file (collect.lists, timeouts, retries).")
@click.option("--show", is_flag=True, help="Print the configured lists and their addresses; download nothing.")
def lists_command(list_ids: tuple[str, ...], folder: str, policy: str | None, show: bool) -> None:
    """Download official sanctions and export-control list files, with date and sha256.

    The current copy is DIR/<file>; the copy it replaces moves to
    DIR/previous/; DIR/vendordd-lists.json records each file's URL, sha256,
    size and publication date. A failed or truncated download changes nothing.
    """
    from ..loader import InputError
    from ..policy import load_policy
    from . import CollectError
    from .lists import collect_lists as run_lists
    from .lists import configured_lists, policy_snippet

    try:
        effective, _ = load_policy(policy)
    except InputError as exc:
        raise _fail("\n".join(map(str, exc.problems))) from None
    if show:
        for list_id, spec in sorted(configured_lists(effective).items()):
            click.echo(f"{list_id}: {spec.get('title', '')}")
            for item in spec.get("files") or ():
                click.echo(f"  {item.get('name')}  {item.get('url')}")
        return
    tty = sys.stderr.isatty()

    def progress(name: str, done: int, total: int | None) -> None:
        shown = f"{done / 1048576:.1f}" + (f"/{total / 1048576:.1f}" if total else "")
        click.echo(f"\rdownloading {name}: {shown} MiB", err=True, nl=False)

    try:
        results = run_lists(list(list_ids), folder, effective, progress=progress if tty else None)
    except CollectError as exc:
        if tty:
            click.echo("", err=True)
        raise _fail(str(exc)) from None
    if tty:
        click.echo("", err=True)
    for res in results:
        entries = f", {res.entries:,} entries" if res.entries is not None else ""
        click.echo(f"{res.list_id}: {res.status}{entries}")
        for f in res.files:
            prev = f" (previous copy {f.previous_sha256[:12]} kept in previous/)" if f.previous_sha256 and \
                f.status == "updated" else ""
            click.echo(f"  {folder.rstrip('/')}/{f.name}  {f.status}  published {f.published} "
                       f"({f.published_source})  sha256 {f.sha256}{prev}")
    click.echo("\nTo screen against these files with their dates, add to the policy:")
    click.echo(policy_snippet(results, folder))
