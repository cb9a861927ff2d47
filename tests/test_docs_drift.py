"""Lists in the docs that must match the code: each test reads the list from the doc and compares.

When one fails, the doc (or the code) drifted: fix whichever is wrong. Issue 19: the built-in
checks, the built-in plugins, the sheet order, the evidence helpers and the schema $defs named
in the docs had each drifted once.
"""

from __future__ import annotations

import inspect
import json
import re

import pytest

from vendordd import dates, evidence
from vendordd.host import BUILTIN_PLUGINS, Host
from vendordd.scorecard.registry import PLUGIN_SHEETS_ORDER, sheet_specs

from .conftest import ROOT

DOCS = ROOT / "docs"
NUMBERS = {"three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def _read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def _builtin_checks() -> dict[str, str]:
    """The built-in checks' ids and categories, as a run registers them."""
    return {cid: rc.check.category for cid, rc in Host().load(entry_points=False).checks().items()}


# --------------------------------------------------------------------------- checks and plugins

def test_the_methodology_checks_table_lists_every_built_in_check_with_its_area():
    text = _read("docs/methodology.md")
    table = text.split("## The checks", 1)[1].split("\n\n| check |", 1)[1].split("\n\n", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| (\w+)", table, re.MULTILINE)
    assert dict(rows) == _builtin_checks()
    for cid, _ in rows:  # each has its own page
        assert (DOCS / "methodology" / f"{cid}.md").is_file(), cid


@pytest.mark.parametrize(("doc", "pattern"), [
    ("docs/plugins.md", r"The (\w+) built-in checks are plugins"),
    ("docs/plugins.md", r"\(the (\w+) checks\)"),
    ("README.md", r"the (\w+) built-ins live in `plugins/`"),
])
def test_the_number_of_built_in_checks_said_in_words_is_right(doc, pattern):
    found = re.search(pattern, _read(doc))
    assert found, f"{doc}: {pattern!r} not found; update this test with the new wording"
    assert NUMBERS[found[1]] == len(_builtin_checks()), f"{doc}: {found[0]!r}"


def test_the_built_in_plugins_are_listed_in_load_order():
    text = _read("docs/plugins.md")
    item = text.split("### Where plugins come from", 1)[1].split("\n2. ", 1)[0]
    names = re.findall(r"`((?:vendordd\.plugins\.)?\w+)`", item)
    names = [n if n.startswith("vendordd.") else f"vendordd.plugins.{n}" for n in names]
    assert names == list(BUILTIN_PLUGINS)


# --------------------------------------------------------------------------- sheets

def _orders(text: str, after: str) -> list[tuple[str, int]]:
    """``Name 10, Other name 20, ...`` after ``after`` in ``text``, to the end of that sentence."""
    part = " ".join(text.split(after, 1)[1].split(".", 1)[0].split())
    return [(name.strip(), int(order)) for name, order in re.findall(r"([A-Za-z' ()`_]+?) (\d+)", part)]


def _code_orders() -> list[tuple[str, int]]:
    specs = [(spec.title or f"{spec.key} sheets", spec.order) for spec in sheet_specs()]
    return sorted([*specs, ("plugins' sheets", PLUGIN_SHEETS_ORDER)], key=lambda s: s[1])


def _normalise(name: str) -> str:
    name = name.strip("`").removeprefix("the ").replace("plugin sheets", "plugins' sheets")
    return re.sub(r"\s*\(.*\)$", "", name)


@pytest.mark.parametrize(("doc", "after"), [
    ("docs/architecture.md", "`order` places it:"),
    ("core/scorecard/registry.py", "Built-in orders (leave gaps for new sheets):"),
])
def test_the_sheet_order_in_the_docs_is_the_code_s(doc, after):
    assert [(_normalise(n), o) for n, o in _orders(_read(doc), after)] == _code_orders()


# --------------------------------------------------------------------------- helpers and schema

@pytest.mark.parametrize("module", [evidence, dates], ids=["evidence", "dates"])
def test_every_public_helper_is_documented_with_its_signature(module):
    text = (DOCS / "evidence.md").read_text(encoding="utf-8")
    public = {name: func for name, func in inspect.getmembers(module, inspect.isfunction)
              if func.__module__ == module.__name__ and not name.startswith("_")}
    assert public
    section = text.split(f"## `{module.__name__}`", 1)[1].split("\n## ", 1)[0]
    documented = {m[1]: m[2] for m in re.finditer(r"^`(\w+)\(([^)]*)\)`$", section, re.MULTILINE)}
    assert sorted(documented) == sorted(public), f"docs/evidence.md, {module.__name__}"
    for name, func in public.items():
        shown = [a.strip() for a in documented[name].split(",") if a.strip()]
        actual = [p.name if p.default is p.empty else f"{p.name}={p.default!r}"
                  for p in inspect.signature(func).parameters.values()]
        assert [a.replace(" ", "") for a in shown] == actual, f"{name}: documented {shown}, actual {actual}"


def test_the_schema_defs_the_plugin_docs_name_exist():
    defs = json.loads(_read("schemas/vendor-profile.schema.json"))["$defs"]
    named = set(re.findall(r"#/\$defs/(\w+)", _read("docs/plugins.md") + _read("docs/evidence.md")))
    named.discard("nonexistent")
    assert named and named <= set(defs), sorted(named - set(defs))


def test_the_plugin_docs_name_the_built_in_sheets_before_the_plugins_in_order():
    text = " ".join(_read("docs/plugins.md").split())
    listed = text.split("the built-in sheets are, in order: ", 1)[1].split(")", 1)[0].split(", ")
    before = [spec.title or f"the {spec.key} sheets" for spec in sheet_specs() if not spec.after_plugins]
    assert listed == before


def test_the_methodology_sheet_checks_table_has_the_documented_columns():
    from vendordd.testing import minimal_profile, run_assessment

    text = " ".join(_read("docs/methodology.md").split())
    said = text.split("Checks table has one row per check, with the columns: ", 1)[1].split(".", 1)[0]
    columns = [c.strip() for c in said.split(",")]
    book = run_assessment([minimal_profile("a")]).workbook
    rows = [list(r) for r in book["Methodology"].iter_rows(values_only=True)]
    header = rows[next(i for i, r in enumerate(rows) if r[0] == "Checks") + 1]
    assert [c for c in header if c] == columns
    lead = next(r for r in rows if str(r[0]).endswith("(leadership_turnover)"))
    assert "Reads: /leadership/key_people" in lead[1] and "Settings:" in lead[1]  # needs and settings
    from vendordd.plugins import leadership_turnover
    assert " ".join(leadership_turnover.CHECK.doc.split())[:60] in lead[1]  # doc


def test_the_readme_walks_through_the_sheets_in_workbook_order():
    text = " ".join(_read("README.md").split("## Quickstart", 1)[1].split("## Commands", 1)[0].split())
    said = {"summary": "the Summary sheet first", "input_errors": "an Input errors sheet",
            "screening": "a Screening sheet",
            "engagements": "an Engagements sheet", "vendor": "one sheet per vendor",
            "findings": "the Findings and Evidence tables", "evidence": "the Findings and Evidence tables",
            "plugins": "the plugins' sheets", "methodology": "the Methodology sheet"}
    code = [spec.key for spec in sheet_specs() if spec.key != "portfolio"]  # a plugin's in practice
    code.insert(next(i for i, k in enumerate(code) if k == "methodology"), "plugins")
    assert sorted(said) == sorted(code)
    positions = [text.index(said[key]) for key in code]
    assert positions == sorted(positions), [k for k in code]


@pytest.mark.parametrize("doc", ["README.md", "docs/plugins.md", "docs/collect.md", "docs/screening.md"])
def test_every_vendordd_command_in_the_docs_shell_examples_exists(doc):
    """`vendordd examples`, `vendordd new-plugin`...: a shell example naming a command that is not there fails."""
    from click import Group

    from vendordd.cli import cli

    blocks = re.findall(r"```(?:sh|bash|console)\n(.*?)```", _read(doc), re.DOTALL)
    used = {m[1] for block in blocks for m in re.finditer(r"(?:^|[;&|(]\s*)vendordd (\w[\w-]*)", block, re.M)}
    assert used, doc
    for name in sorted(used):
        assert name in cli.commands, f"{doc}: vendordd {name} is not a command"
    groups = {name: cmd for name, cmd in cli.commands.items() if isinstance(cmd, Group)}
    for block in blocks:
        for m in re.finditer(r"vendordd (\w[\w-]*) (\w[\w-]*)", block):
            if m[1] in groups and not m[2].startswith("-"):
                assert m[2] in groups[m[1]].commands or m[1] == "collect", f"{doc}: {m[0]}"


def test_the_tutorial_runs_the_venv_s_pytest_and_copies_the_examples_first():
    tutorial = _read("docs/plugins.md").split("## Tutorial", 1)[1].split("\n## ", 1)[0]
    assert "python -m pytest" in tutorial and not re.search(r"(?m)(^|&& )pytest\b", tutorial)
    assert tutorial.index("vendordd examples\n") < tutorial.index("vendordd run examples/profiles")
