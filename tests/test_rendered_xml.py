"""Relationships and text charts handed to openpyxl's save as text give the bytes of the trees they
stood for: what openpyxl's tostring (lxml, UTF-8) writes after parsing the same text (the path
outside saving_rendered_xml)."""

from __future__ import annotations

import openpyxl.writer.excel as excel
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.packaging.relationship import Relationship, RelationshipList
from openpyxl.xml.functions import fromstring, tostring

from vendordd.scorecard.charts import bar_chart_xml
from vendordd.scorecard.openpyxl_internals import (
    RenderedXml,
    TextChart,
    _link_relationships_xml,
    _LinkRelationship,
    _relationship_xml,
    _Relationships,
    saving_rendered_xml,
)
from vendordd.xlsx_text import XML_ILLEGAL

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


def _written(node: object) -> bytes:
    """What the save writes for ``node``: through openpyxl's (patched) tostring."""
    return excel.tostring(node)


@settings(max_examples=300)
@given(targets=st.lists(_TEXT, max_size=8), others=st.lists(st.sampled_from(["drawing", "table"]), max_size=2))
def test_relationships_as_text_are_what_lxml_writes(targets: list[str], others: list[str]) -> None:
    rels = _Relationships()
    for n, target in enumerate(targets, 1):
        rels.append(_LinkRelationship("https://example.org/" + target, f"rId{n}"))
    for kind in others:
        rels.append(Relationship(type=kind, Target="../x.xml"))
    plain = rels.to_tree()  # outside a save: a tree, as openpyxl expects
    assert not isinstance(plain, RenderedXml)
    with saving_rendered_xml():
        fast = rels.to_tree()
        written = _written(fast)
    if isinstance(fast, RenderedXml):
        assert written == tostring(fromstring(rels._text()))
        assert written == tostring(plain)
        own = RelationshipList()  # openpyxl's own objects, as its write_hyperlinks makes them
        for n, target in enumerate(targets, 1):
            own.append(Relationship(type="hyperlink", TargetMode="External", Target="https://example.org/" + target,
                                    Id=f"rId{n}"))
        for kind in others:
            own.append(Relationship(type=kind, Target="../x.xml"))
        assert written == tostring(own.to_tree())
    else:  # empty, or a character XML cannot hold: the tree (and openpyxl's own errors)
        assert not len(rels) or any(XML_ILLEGAL.search(t) for t in targets)


@settings(max_examples=100)
@given(labels=st.lists(_TEXT, min_size=2, max_size=6), title=_TEXT)
def test_a_text_chart_as_text_is_what_lxml_writes(labels: list[str], title: str) -> None:
    xml = bar_chart_xml("Vendor A", title=title or "Areas", label_col=1, value_col=2, first_row=3, labels=labels,
                        values=[50.0] * len(labels), ratings=["low"] * len(labels), series_name="Score")
    if xml is None:
        return
    chart = TextChart(xml)
    with saving_rendered_xml():
        written = _written(chart._write())
    assert written == tostring(fromstring(xml))


def test_the_save_puts_openpyxl_back_as_it_was() -> None:
    before = excel.tostring
    with saving_rendered_xml():
        assert excel.tostring is not before
    assert excel.tostring is before


@settings(max_examples=200)
@given(targets=st.lists(_TEXT, max_size=8), others=st.lists(st.sampled_from(["drawing", "table"]), max_size=2),
       more=st.sampled_from([None, "drawing", "table"]))
def test_links_handed_over_as_text_save_as_the_objects_did(targets: list[str], others: list[str],
                                                          more: str | None) -> None:
    """What the second process sends (split_rendered, pickled) is adopted with the same text, length,
    lookups and numbering of a relationship the save appends."""
    import pickle

    rels = _Relationships()
    for n, target in enumerate(targets, 1):
        rels.append(_LinkRelationship("https://example.org/" + target, f"rId{n}"))
    for kind in others:
        rels.append(Relationship(type=kind, Target="../x.xml"))
    rendered, objects = pickle.loads(pickle.dumps(rels.split_rendered()))
    adopted = _Relationships.adopted(rendered, objects)
    assert len(adopted) == len(rels) and adopted._text() == rels._text()
    assert [r.Id for r in adopted] == [r.Id for r in rels][rendered[0]:]
    for rel in objects:
        assert adopted.get(rel.Id).Target == rel.Target
    if more is not None:
        rels.append(Relationship(type=more, Target="../y.xml"))
        adopted.append(Relationship(type=more, Target="../y.xml"))
        assert adopted._text() == rels._text()
    with saving_rendered_xml():
        assert _written(adopted.to_tree()) == _written(rels.to_tree())


@settings(max_examples=300)
@given(targets=st.lists(st.one_of(_TEXT, st.text(st.sampled_from(list('ab&<>"\t\n\r\x00\x0b') + ["\ufffe", "\ud800"]),
                                                 max_size=20)), max_size=8),
       first=st.integers(1, 5))
def test_link_relationships_rendered_at_once_are_those_of_the_objects(targets: list[str], first: int) -> None:
    # write_hyperlinks keeps a sheet's leading link relationships as this text, not as objects
    text = _link_relationships_xml(["https://example.org/" + t for t in targets], first)
    if text is None:
        assert any(XML_ILLEGAL.search(t) for t in targets)
    else:
        assert text == "".join(_relationship_xml(_LinkRelationship("https://example.org/" + t, f"rId{n}"))
                               for n, t in enumerate(targets, first))
