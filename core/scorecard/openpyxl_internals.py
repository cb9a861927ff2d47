"""The ONE place the scorecard touches openpyxl's private names (openpyxl 3.1).

Everything else in :mod:`vendordd.scorecard` uses openpyxl's public API and
the helpers here. What this module relies on, and the tests that pin it:

* ``Cell`` slots (``_value``, ``_style``, ``_hyperlink``, ``_comment``,
  ``data_type``): :func:`new_cell`, :func:`cell_value`, :func:`put_text`,
  :func:`put_number`, :func:`put_link` set or read them directly, about three
  times faster than ``Cell.__init__`` and the ``value`` setter's checks.
  Pinned by ``tests/test_scorecard_speed_cells.py`` (each slot as ``Cell()``
  sets it) and ``tests/test_hostile_text.py`` (text stays text).
* ``StyleableObject._style`` and ``Workbook._cell_styles`` / ``_fonts`` /
  ``_alignments``: :func:`style_array` builds a house style's array once and
  :class:`DetachedTextCell` / :class:`FontLookup` read a cell's font back.
  In a write-only workbook the cells of one house style share one
  :class:`SharedStyle` array (:func:`shared_styles`, :func:`text_cell`,
  :func:`put_date`) instead of a copy each; it refuses changes. Pinned by
  ``tests/test_scorecard.py`` (styles, row heights),
  ``tests/test_scorecard_speed_cells.py`` and ``tests/test_scorecard_twins.py``
  (whole workbooks, shared or copied arrays: the same bytes).
* ``TwoCellAnchor(_from=...)``: :func:`cell_range_anchor` places a chart over
  exactly the cells it may cover. Pinned by ``tests/test_scorecard.py``
  (no chart covers a non-empty cell).
* The write-only worksheet's ``_get_writer`` protocol (``_writer``, ``_rows``,
  ``_values_to_row``, ``_hyperlinks``), ``WorksheetWriter.get_stream``,
  ``xf``, ``_rels`` and ``write_hyperlinks``: :class:`RowWriter` writes each
  row's XML text straight into the sheet's file, the same bytes openpyxl
  writes. Pinned by ``tests/test_xlsx_rows.py`` (whole workbooks compared with
  openpyxl's own output) and ``tests/test_scorecard_speed_cells.py``.
* ``Workbook._sheets`` (a template's sheets, tab selection) and a write-only
  sheet's ``_writer.cleanup`` (:func:`discard_write_only`).
* ``WorksheetWriter.out``, ``cleanup``, ``ALL_TEMP_FILES`` and ``create_temporary_file``:
  :class:`_RawSheetWriter` deflates the sheet's XML as it is written, in memory
  until it outgrows :data:`~vendordd.scorecard.zip_parts.KEPT_IN_MEMORY` (then in a
  temporary file made as openpyxl makes one), and leaves a
  :class:`~vendordd.scorecard.zip_parts.DeflatedPart` there, which saving copies
  into the zip as it is. Pinned by
  ``tests/test_zip_parts.py`` and the whole-workbook comparisons.
* A worksheet's ``_tables``: :func:`add_named_table`. Pinned by ``tests/test_scorecard_twins.py``
  (whole workbooks, tables added through ``add_table`` or not: the same bytes).
* The workbook's style registries (``_cell_styles``, ``_fonts``, ...,
  ``_differential_styles``): :func:`register_with_quote_prefix`,
  :func:`register_differential_style`, :func:`registry_sizes`; and a
  write-only sheet's saved flag, ``_tables``, print ranges and ``_rels``:
  :func:`close_and_keep` and :func:`adopt_closed_sheet` move a closed sheet
  from the second process (:mod:`vendordd.scorecard.sheet_process`). Pinned
  by ``tests/test_sheet_process.py`` (the same bytes as one process).

openpyxl is pinned to ``>=3.1,<3.2`` in pyproject.toml for this module.

How :class:`RowWriter` works: openpyxl writes each cell of a write-only sheet
through several Python objects and lxml calls (and, for a cell that carries a
style, a raised and caught ValueError in ``_values_to_row``); for the
scorecard's long flat tables that was most of the workbook's time.
:class:`RowWriter` takes over a write-only worksheet's row stream and writes
each row as one piece of XML text, straight into the sheet's file (see
:class:`_RawSheetWriter`; parsed by lxml instead when the sheet's writer was
made before the RowWriter), producing the same bytes openpyxl would for the
cells it handles: inline strings, numbers, booleans and dates, with their
style and hyperlinks. A row with anything else (formulas, rich text,
comments, a carriage return in text, characters XML cannot hold) is handed to
openpyxl's writer unchanged, and so is anything appended to the sheet with
``ws.append``. When the RowWriter made the sheet's writer, the sheet's
hyperlinks and relationships are made as text too (openpyxl builds an object
tree for each of them).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import types
import weakref
from collections.abc import Mapping, Sequence
from typing import Any, cast

from lxml import etree
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.packaging.relationship import Relationship, RelationshipList
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.numbers import is_date_format
from openpyxl.styles.styleable import StyleableObject
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet import _writer as openpyxl_sheet_writer
from openpyxl.worksheet._writer import ALL_TEMP_FILES, WorksheetWriter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.xml.constants import PKG_REL_NS, REL_NS, SHEET_MAIN_NS
from openpyxl.xml.functions import fromstring
from openpyxl.xml.functions import tostring as _openpyxl_tostring

from ..xlsx_text import ERROR_CODES, FORMULA_TRIGGERS, XML_ILLEGAL, needs_quote_prefix
from .zip_parts import DeflatedPart, DeflatingFile

_LETTERS = [get_column_letter(i) for i in range(1, 16385)]
_NEW = object.__new__
_UNKNOWN = object()


def new_cell(ws: Any, style: Any = None, kind: type[Cell] = Cell) -> Cell:
    """What ``Cell(ws, row=1, column=1)`` makes, with the style array ``style`` (not copied), as a
    ``kind`` (Cell, or a subclass whose own slots the caller sets).

    Sets the cell's slots directly, about three times faster than
    ``Cell.__init__`` (which runs two initialisers); ``tests/test_scorecard_speed_cells.py``
    checks that every slot ends up as ``Cell()`` sets it.
    """
    cell = _NEW(kind)
    cell.parent = ws
    cell._style = style
    cell.row = cell.column = 1
    cell._value = cell._hyperlink = cell._comment = None
    cell.data_type = "n"
    return cell


def new_hyperlink(ref: str, *, target: str | None = None, location: str | None = None,
                  tooltip: str | None = None) -> Hyperlink:
    """What ``Hyperlink(ref=ref, target=target, location=location, tooltip=tooltip)`` makes.

    Made without the descriptors' type checks (which cost more than the rest
    of a linked cell), so the arguments must be strings or None.
    """
    link = _NEW(Hyperlink)
    attrs = link.__dict__  # in the order the constructor sets them
    attrs["ref"] = ref
    attrs["location"] = location
    attrs["tooltip"] = tooltip
    attrs["display"] = attrs["id"] = None
    attrs["target"] = target
    return link


def place_cells(cells: Sequence[Cell | None], row_idx: int) -> list[Cell]:
    """Give ``cells`` their coordinates in row ``row_idx`` (None leaves a gap); returns the cells.

    openpyxl's writer reads a cell's coordinate from the cell, and a
    hyperlink takes its ref from its cell only when it is assigned.
    """
    placed = []
    for col_idx, cell in enumerate(cells, 1):
        if cell is None:
            continue
        cell.row, cell.column = row_idx, col_idx
        if cell.hyperlink is not None:
            cell.hyperlink.ref = cell.coordinate
        placed.append(cell)
    return placed


def cell_value(cell: Cell) -> Any:
    """The value of ``cell`` (``cell.value`` without the property call, for the hot loops)."""
    return cell._value


def put_text(cell: Cell, text: str) -> Cell:
    """Put already-safe ``text`` into ``cell`` as a string, with the quote prefix when needed.

    The data type is forced to string, so ``=HYPERLINK(...)`` is shown, never
    evaluated, and ``#N/A`` stays text; text an edit would turn into a formula
    gets the quote prefix. Call it after any style assignment: assigning a
    style array replaces the quote prefix flag.
    """
    cell._value = text
    cell.data_type = "s"
    if needs_quote_prefix(text):
        cell.quotePrefix = True
    return cell


class SharedStyle(StyleArray):
    """A house style's array shared by every cell of that style (see :func:`shared_styles`).

    It never changes once made: assigning a style attribute (``font``,
    ``quotePrefix``...) to a cell holding it raises instead of silently
    restyling every cell that shares it; give such a cell its own
    ``StyleArray(cell._style)`` first.
    """

    def __setitem__(self, key: Any, value: Any) -> None:
        raise TypeError("a shared house style cannot be changed: give the cell its own StyleArray first")


#: A house style's shared arrays: (plain, with the quote prefix), and whether its number format shows dates.
SharedPair = tuple[SharedStyle, SharedStyle, bool]


def shared_styles(workbook: Any, array: StyleArray) -> SharedPair:
    """The shared arrays of a house style whose array is ``array``, for :func:`text_cell` and friends.

    Sharing one array instead of giving each cell its own copy saves the copy
    per cell; the second array is the first with the quote prefix, which
    :func:`put_text` would set on the cell's own copy.
    """
    plain = SharedStyle(array)
    quoted = list(array)
    quoted[7] = 1  # StyleArray.quotePrefix
    number_format = StyleableObject(sheet=types.SimpleNamespace(parent=workbook), style_array=array).number_format
    return plain, SharedStyle(quoted), is_date_format(number_format)


def text_cell(ws: Any, styles: SharedPair, text: str, kind: type[Cell] = Cell) -> Cell:
    """What ``put_text(new_cell(ws, StyleArray(plain)), text)`` makes, holding a shared array instead.

    ``text`` must already be safe (:func:`vendordd.xlsx_text.safe_text`);
    the cell gets the quote-prefixed array where :func:`put_text` would set
    the prefix (``tests/test_scorecard_speed_cells.py`` compares the two).
    """
    cell = _NEW(kind)
    cell.parent = ws
    cell._style = styles[1] if text.startswith(FORMULA_TRIGGERS) or text in ERROR_CODES else styles[0]
    cell.row = cell.column = 1
    cell._value = text
    cell._hyperlink = cell._comment = None
    cell.data_type = "s"
    return cell


class RepeatedCell(Cell):
    """A text cell that :class:`~vendordd.scorecard.book.RepeatedCells` hands to many rows of one
    write-only sheet, and that never changes once made: :class:`RowWriter` keeps its XML after the
    cell reference (``xml_tail``) from the first row it writes it in, for the rows after, and
    :func:`~vendordd.scorecard.layout.row_height` the height it needs in the column it was last
    measured for (``measured``: that column's width, lines x font size; 0.0 when it holds no
    wrapped text, see :meth:`FontLookup.texts_to_measure`)."""

    __slots__ = ("measured", "xml_tail")


def new_repeated_cell(ws: Any, style: Any = None) -> RepeatedCell:
    """What :func:`new_cell` makes, as a :class:`RepeatedCell`."""
    cell = cast(RepeatedCell, new_cell(ws, style, RepeatedCell))
    cell.xml_tail = cell.measured = None
    return cell


def repeated_text_cell(ws: Any, styles: SharedPair, text: str) -> RepeatedCell:
    """What :func:`text_cell` makes, as a :class:`RepeatedCell`."""
    cell = cast(RepeatedCell, text_cell(ws, styles, text, RepeatedCell))
    cell.xml_tail = cell.measured = None
    return cell


def put_date(cell: Cell, day: dt.date) -> Cell:
    """What ``cell.value = day`` does when the cell's style already shows dates (a date ``number_format``).

    Without that precondition the setter would also change the cell's
    number format; :meth:`vendordd.scorecard.book.Book.date` checks it once
    per style (:data:`SharedPair`'s third item).
    """
    cell._value = day
    cell.data_type = "d"
    return cell


def put_number(cell: Cell, number: float) -> Cell:
    """Put a finite float into ``cell`` (what ``cell.value = number`` does, without its checks)."""
    cell._value = number
    return cell


def put_link(cell: Cell, target: str) -> Cell:
    """Link ``cell`` to the external URL ``target`` (as ``cell.hyperlink = target`` sets it)."""
    cell._hyperlink = new_hyperlink(f"{_LETTERS[cell.column - 1]}{cell.row}", target=target)  # its coordinate
    return cell


def style_array(workbook: Any, spec: Mapping[str, Any]) -> StyleArray:
    """The style array of a cell given ``spec``'s font, fill, border, alignment and number format.

    Registers those parts in ``workbook`` (what assigning them to a cell does);
    copy the result onto each cell with ``StyleArray(array)``.
    """
    obj = StyleableObject(sheet=types.SimpleNamespace(parent=workbook))
    for attr in ("font", "fill", "border", "alignment", "number_format"):
        if attr in spec:
            setattr(obj, attr, spec[attr])
    return obj._style


def add_named_table(ws: Any, table: Any) -> None:
    """What ``ws.add_table(table)`` does when the caller knows ``table``'s name is unique in the
    workbook: openpyxl's check reads every table of every sheet (250 vendor sheets: about 30,000
    names) and, in write-only mode, warns that table columns must be added by hand."""
    ws._tables.add(table)


def register_with_quote_prefix(workbook: Any, style: StyleArray) -> None:
    """Register the cell style ``style`` in ``workbook``, then the same with the quote prefix."""
    workbook._cell_styles.add(StyleArray(style))
    prefixed = StyleArray(style)
    prefixed.quotePrefix = 1
    workbook._cell_styles.add(prefixed)


def register_differential_style(workbook: Any, dxf: Any) -> int:
    """Register the differential style (conditional format) ``dxf`` in ``workbook``; its id."""
    return cast(int, workbook._differential_styles.add(dxf))


class DetachedTextCell(Cell):
    """A string cell not yet bound to a sheet (what ``SheetWriter.text`` returns).

    In write-only mode an appended cell keeps its parent, and a styled cell
    needs the workbook to register its style; this one carries the workbook
    itself so plugins may append it to any sheet of the scorecard.
    """

    __slots__ = ("_workbook",)

    @classmethod
    def make(cls, workbook: Any, style: StyleArray, text: str) -> DetachedTextCell:
        cell = cls(None, row=1, column=1)
        cell._workbook = workbook
        cell._style = style
        put_text(cell, text)
        return cell

    def __repr__(self) -> str:
        return f"<Cell (not yet placed) {self._value!r}>"

    @property
    def style_id(self) -> int:
        if self._style is None:  # type: ignore[has-type]
            self._style = StyleArray()  # type: ignore[misc]  # Cell declares _style in its __slots__
        workbook = self.parent.parent if self.parent is not None else self._workbook
        return workbook._cell_styles.add(self._style)


#: What :class:`FontLookup` tells about a cell: (wraps, font size, bold).
FontInfo = tuple[bool, float, bool]


class FontLookup:
    """(wraps, font size, bold) of the styles of one workbook, looked up once per style.

    Keyed by (fontId, alignmentId): every cell has its own style array, so
    the ids are the cheapest key. Get it with :func:`fonts_of`.
    """

    __slots__ = ("_known", "_pinned", "_shared", "_workbook")

    def __init__(self, workbook: Any) -> None:
        self._workbook = weakref.ref(workbook)  # a strong one would keep it alive in _FONTS
        self._known: dict[tuple[int, int], FontInfo] = {}
        #: :meth:`of` by the identity of a SharedStyle (pinned, so an id cannot be reused).
        self._shared: dict[int, FontInfo] = {}
        self._pinned: list[SharedStyle] = []

    def of(self, cell: Cell) -> FontInfo:
        style = cell._style
        key = (style[0], style[5]) if style is not None else (0, 0)  # fontId, alignmentId
        info = self._known.get(key)
        if info is None:
            workbook: Any = self._workbook()
            font, alignment = workbook._fonts[key[0]], workbook._alignments[key[1]]
            info = self._known[key] = (bool(alignment.wrap_text), float(font.sz or 11), bool(font.b))
        return info


    def texts_to_measure(self, row: Sequence[Cell | None],
                         widths: Sequence[float]) -> tuple[float, list[tuple[str, float, FontInfo, Cell]]]:
        """What a row height must still measure of ``row``: ``(known, found)``.

        ``found``: the cells of ``row`` that hold text (a non-empty str) in a style that wraps,
        each as its text, the width of its column, :meth:`of` the cell and the cell; cells
        beyond ``widths`` are left out. ``known``: lines x font size of the tallest
        :class:`RepeatedCell` of ``row`` already measured in its column's width (its
        ``measured``), which is then not in ``found``; 0.0 when there is none.

        What reading each cell and calling :meth:`of` gives, in one pass (a row height reads
        every cell of every row): the answer for a shared house style is found by the identity
        of its array, which never changes. A repeated cell that holds no wrapped text (a date,
        a style that does not wrap) is marked as measured, needing no height (0.0), in that
        width: such a cell never changes, so the flat tables' rows skip it from then on."""
        found = []
        known = 0.0
        shared = self._shared
        for cell, width in zip(row, widths):
            if cell is None:
                continue
            repeated = cell.__class__ is RepeatedCell
            if repeated:
                measured = cell.measured
                if measured is not None and measured[0] == width:
                    if measured[1] > known:
                        known = measured[1]
                    continue
            value = cell._value
            if not isinstance(value, str) or not value:
                if repeated:
                    cell.measured = (width, 0.0)
                continue
            style = cell._style
            info = shared.get(id(style))
            if info is None:
                info = self.of(cell)
                if type(style) is SharedStyle:
                    shared[id(style)] = info
                    self._pinned.append(style)
            if info[0]:
                found.append((value, width, info, cell))
            elif repeated:
                cell.measured = (width, 0.0)
        return known, found


_FONTS: weakref.WeakKeyDictionary[Any, FontLookup] = weakref.WeakKeyDictionary()


def fonts_of(workbook: Any) -> FontLookup:
    """The :class:`FontLookup` of ``workbook`` (one per workbook, dropped with it)."""
    fonts = _FONTS.get(workbook)
    if fonts is None:
        fonts = _FONTS[workbook] = FontLookup(workbook)
    return fonts


def font_info(cell: Cell) -> FontInfo:
    """(wraps, font size, bold) of a cell (callers with many cells keep a :class:`FontLookup`)."""
    workbook = cell.parent.parent if cell.parent is not None else cell._workbook  # a detached cell
    return fonts_of(workbook).of(cell)


def discard_write_only(workbook: Any) -> None:
    """Close and delete the temporary files of a write-only workbook that will not be saved."""
    if not workbook.write_only:
        return
    for ws in workbook.worksheets:
        discard_sheet_file(ws)


def discard_sheet_file(ws: Any) -> None:
    """Close a write-only sheet and delete the temporary file it streams to (nothing otherwise)."""
    writer = getattr(ws, "_writer", None)
    if writer is None:
        return
    with contextlib.suppress(Exception):  # best effort: the sheet is being thrown away
        if not ws.closed:
            ws.close()
    with contextlib.suppress(Exception):
        writer.cleanup()


def cell_range_anchor(first_col: int, first_row: int, last_col: int, last_row: int) -> TwoCellAnchor:
    """A drawing anchor that spans cells ``first_col``/``first_row`` to ``last_col``/``last_row``
    (1-based, inclusive): the drawing covers exactly those cells, whatever their sizes.

    (``TwoCellAnchor``'s start marker is the keyword ``_from``.) Moves with its
    cells, never resizes with them.
    """
    return TwoCellAnchor(editAs="oneCell", _from=AnchorMarker(col=first_col - 1, row=first_row - 1),
                         to=AnchorMarker(col=last_col, row=last_row))


class TextChart(BarChart):
    """A chart whose XML part is already made (``xml``, UTF-8): openpyxl's save parses it back
    (``ChartBase._write``) and writes it as it would have written the chart's objects.

    Only its size (``width``, ``height``), ``anchor``, ``path`` and ``mime_type`` are read from
    the object, by the sheet's drawing and the save; see
    :func:`vendordd.scorecard.charts.score_bar_chart`. So BarChart's initialiser, which builds
    the axes, legend and plot area that the XML already holds, is not run: ``ChartBase``'s class
    attributes give the size and anchor until they are set, as its initialiser leaves them.
    """

    def __init__(self, xml: bytes) -> None:
        self._charts = [self]  # what ChartBase.__init__ sets that the save reads (ChartBase.__iadd__)
        self.xml = xml

    def _write(self) -> Any:
        if _RENDERED[0]:
            return RenderedXml(self.xml)
        return fromstring(self.xml)


#: The ASCII characters XML 1.0 cannot hold (those of XML_ILLEGAL below 128).
_ILLEGAL_ASCII = bytes(code for code in range(128) if XML_ILLEGAL.match(chr(code)))


def xml_bytes(text: str) -> bytes | None:
    """``text`` (well-formed XML) encoded as lxml writes it in a sheet (ASCII, other characters as
    decimal references); None when it holds a character XML cannot hold.

    What :func:`xml_bytes_plain` answers, found without its regular expression (3.7 us for a
    1,100-character row): of the characters XML cannot hold, the C0 controls are ASCII, kept as
    they are in the encoded bytes, where ``bytes.translate`` finds them several times faster;
    the others are U+FFFE, U+FFFF and surrogates (which UTF-8 refuses to encode).
    """
    data = text.encode("ascii", "xmlcharrefreplace")
    if len(data.translate(None, _ILLEGAL_ASCII)) != len(data):
        return None
    if not text.isascii():  # isascii is free
        if "\ufffe" in text or "\uffff" in text:
            return None
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a surrogate
            return None
    return data


def xml_bytes_plain(text: str) -> bytes | None:
    """:func:`xml_bytes`, the characters XML cannot hold found by :data:`~vendordd.xlsx_text.XML_ILLEGAL`
    (its plain twin)."""
    if XML_ILLEGAL.search(text):
        return None
    return text.encode("ascii", "xmlcharrefreplace")


#: Rows' XML written to a sheet's file in pieces of about this many bytes (:meth:`RowWriter._write_raw`).
_RAW_CHUNK = 1 << 16


class _Fallback(Exception):
    """This row holds something only openpyxl's own writer handles."""


_DEFLATING: weakref.WeakSet[Any] = weakref.WeakSet()
#: The ``out`` of a deflated sheet's writer until it is closed (then a DeflatedPart): it has no file yet.
_IN_MEMORY = ""


def deflate_streamed_sheets(workbook: Any) -> None:
    """Have the sheets of ``workbook`` that :class:`RowWriter` streams deflate their XML as it is
    written. Only for a workbook saved by :func:`vendordd.scorecard.saving.save`, which copies such
    parts as they are: openpyxl's own ``save`` would store the deflated bytes as the sheet."""
    _DEFLATING.add(workbook)


class _RawSheetWriter(WorksheetWriter):
    """openpyxl's worksheet writer, writing through a file object that :class:`RowWriter` may also write to.

    openpyxl gives lxml's incremental writer the file's name; here it gets
    an open file instead, so that finished XML text can go straight into the
    file (after :meth:`flush`) rather than being parsed into elements and
    serialised again. lxml writes the same bytes either way.
    """

    file: Any = None
    lxml: Any = None

    def __init__(self, ws: Any) -> None:
        self._deflate = ws.parent in _DEFLATING
        # A deflated sheet starts in memory (no temporary file: DeflatingFile makes one if it grows).
        super().__init__(ws, out=_IN_MEMORY if self._deflate else None)
        self._rels = _Relationships()

    def get_stream(self) -> Any:
        """openpyxl's ``get_stream``, on a file object of ours. In a workbook given to
        :func:`deflate_streamed_sheets`, that file deflates what it is given
        (:class:`~vendordd.scorecard.zip_parts.DeflatingFile`) and, once the sheet is closed,
        ``out`` is a :class:`~vendordd.scorecard.zip_parts.DeflatedPart`."""
        out: str = self.out  # type: ignore[has-type]
        deflate = self._deflate
        with (DeflatingFile(None, spill=_temporary_file) if deflate else open(out, "wb")) as self.file, \
                etree.xmlfile(self.file) as self.lxml, self.lxml.element("worksheet", xmlns=SHEET_MAIN_NS):
            try:
                while True:
                    el = yield
                    if el is True:
                        yield self.lxml
                    elif el is not None:
                        self.lxml.write(el)
            except GeneratorExit:
                pass
        if deflate:
            self.out = self.file.part()

    def cleanup(self) -> None:
        """Delete the sheet's temporary file, if it has one (a deflated sheet kept in memory has none)."""
        path = getattr(self.file, "path", None) if self._deflate else self.out
        if path:
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)
            with contextlib.suppress(ValueError):
                ALL_TEMP_FILES.remove(path)

    def flush(self) -> None:
        """Hand what lxml still buffers to the file, so that raw text written next comes after it."""
        self.lxml.flush()

    def write_hyperlinks(self) -> None:
        """openpyxl's ``write_hyperlinks``, its XML made as text rather than one object tree per link.

        The Evidence sheet has a link in every row; openpyxl's serialisation of
        each link and of its relationship took about a third of the save. When
        the links are the sheet's first relationships (as they are: the drawing and
        tables come at the save), their relationships are kept as text
        (:func:`_link_relationships_xml`), not as an object each rendered at the
        save; the links' ``id`` is then left unset (nothing reads it once the
        sheet is written).
        """
        links = self.ws._hyperlinks
        if not links:
            return
        parts, targets = ["<hyperlinks>"], list[Any]()
        first = len(self._rels) + 1
        for link in links:
            rel_id = link.id
            if link.target:  # an external link: its target goes into a relationship
                rel_id = f"rId{first + len(targets)}"
                targets.append(link.target)
                if link.location is None and link.tooltip is None and link.display is None \
                        and link.ref.isascii() and link.ref.isalnum():  # a cell's coordinate: nothing to escape
                    parts.append(f'<hyperlink xmlns:r="{REL_NS}" ref="{link.ref}" r:id="{rel_id}"/>')
                    continue
            parts.append(_hyperlink_xml(link, rel_id))
        parts.append("</hyperlinks>")
        data = xml_bytes("".join(parts))
        if data is None:  # what XML cannot hold: openpyxl raises its own error
            super().write_hyperlinks()
            return
        rendered = None
        if isinstance(self._rels, _Relationships) and not list.__len__(self._rels):
            rendered = _link_relationships_xml(targets, first)
        if rendered is not None:  # the sheet's first relationships: kept as their text (see _Relationships)
            self._rels._rendered_count += len(targets)
            self._rels._rendered_text += rendered
        else:
            rels = [_LinkRelationship(target, f"rId{idx}") for idx, target in enumerate(targets, first)]
            self._rels.extend(rels)
            for link, rel in zip((link for link in links if link.target), rels):
                link.id = rel.Id
        self.write_text(data)

    def write_text(self, data: bytes) -> None:
        """Write finished XML (from :func:`xml_bytes`) into the sheet's file, after what lxml wrote."""
        self.lxml.flush()
        self.file.write(data)


def _temporary_file() -> str:
    """A new temporary file's name, made as openpyxl makes a sheet's (and deleted at exit if left)."""
    return cast(str, openpyxl_sheet_writer.create_temporary_file())


_ATTRIBUTE_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("\t", "&#9;"),
                      ("\n", "&#10;"), ("\r", "&#13;"))


#: A character :func:`_attribute` writes as a reference.
_ESCAPED_IN_ATTRIBUTES = re.compile('[&<>"\t\n\r]')


def _attribute(name: str, value: Any) -> str:
    """`` name="value"`` as lxml writes it (nothing when ``value`` is None)."""
    if value is None:
        return ""
    value = safe_string(value)
    for char, escaped in _ATTRIBUTE_ESCAPES:
        if char in value:
            value = value.replace(char, escaped)
    return f' {name}="{value}"'


def _hyperlink_xml(link: Any, rel_id: str | None) -> str:
    """A ``<hyperlink>`` element as openpyxl's ``Hyperlink.to_tree`` writes it, with relationship ``rel_id``."""
    attrs = (_attribute("ref", link.ref) + _attribute("location", link.location)
             + _attribute("tooltip", link.tooltip) + _attribute("display", link.display))
    if rel_id is None:
        return f"<hyperlink{attrs}/>"
    return f'<hyperlink xmlns:r="{REL_NS}"{attrs}{_attribute("r:id", rel_id)}/>'


_LINK_TYPE = f"{REL_NS}/hyperlink"


class _LinkRelationship(Relationship):
    """What ``Relationship(type="hyperlink", TargetMode="External", Target=target, Id=rel_id)`` makes.

    Made without the descriptors' checks, which cost more than the rest of
    the link: ``target`` and ``rel_id`` are strings.
    """

    def __init__(self, target: str, rel_id: str) -> None:
        self.__dict__.update(Type=_LINK_TYPE, Target=target, TargetMode="External", Id=rel_id)


class RenderedXml:
    """An XML part that is already text: ``data``, the bytes openpyxl's ``tostring`` (lxml, UTF-8)
    would write for the element it stands for. Only :func:`saving_rendered_xml`'s save knows what to
    do with it."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data


_RENDERED = [0]  # how many saves accept RenderedXml now (see saving_rendered_xml)


@contextlib.contextmanager
def saving_rendered_xml() -> Any:
    """While openpyxl's ``ExcelWriter`` saves in this block, a sheet's relationships and a
    :class:`TextChart` hand it their text as it is, instead of a tree it would parse and write back
    (the same bytes: tests/test_rendered_xml.py). Elsewhere they give trees, as openpyxl expects."""
    import openpyxl.writer.excel as excel

    previous = excel.tostring
    excel.tostring = _tostring
    _RENDERED[0] += 1
    try:
        yield
    finally:
        _RENDERED[0] -= 1
        excel.tostring = previous


def _tostring(node: Any, *args: Any, **kwargs: Any) -> bytes:
    if type(node) is RenderedXml:
        return node.data
    return cast(bytes, _openpyxl_tostring(node, *args, **kwargs))


class _Relationships(RelationshipList):
    """A sheet's relationships, serialised as one piece of text (openpyxl makes an element per object).

    Its first relationships may be held as their text only (:meth:`split_rendered`,
    :meth:`adopted`): the Evidence sheet's 50,000 links, rendered by the process that wrote the
    sheet, reach the saving process as one string instead of objects to pickle and render again.
    ``len`` counts them (openpyxl numbers a new relationship ``rId{len}``); iterating, ``get`` and
    ``find`` see the objects only, which are never links.
    """

    _rendered_count = 0
    _rendered_text = ""

    def __len__(self) -> int:
        return list.__len__(self) + self._rendered_count

    def to_tree(self) -> Any:
        text = self._text()
        if _RENDERED[0] and len(self) and not XML_ILLEGAL.search(text):
            with contextlib.suppress(UnicodeEncodeError):  # a lone surrogate: the tree path reports it
                return RenderedXml(text.encode("utf-8"))
        try:
            return fromstring(text)  # the XML library openpyxl's tostring expects
        except SyntaxError:  # what XML cannot hold (lxml's and ElementTree's errors): openpyxl raises its own
            return super().to_tree()

    def _text(self) -> str:
        parts = [f'<Relationships xmlns="{PKG_REL_NS}">', self._rendered_text]
        parts.extend(_relationship_xml(rel) for rel in self)
        parts.append("</Relationships>")
        return "".join(parts)

    def split_rendered(self) -> tuple[tuple[int, str], list[Any]]:
        """``((count, text), rest)``: the leading external links as their text (none when that text
        holds a character XML cannot hold: openpyxl's own error must come from the objects), and
        the other relationships as objects. :meth:`adopted` puts them back together."""
        objects = list(self)
        count = 0
        while count < len(objects) and type(objects[count]) is _LinkRelationship:
            count += 1
        text = self._rendered_text + "".join(_relationship_xml(rel) for rel in objects[:count])
        if XML_ILLEGAL.search(text):
            if self._rendered_count:  # already split: nothing of it can be taken back as objects
                return (self._rendered_count, self._rendered_text), objects
            return (0, ""), objects
        return (self._rendered_count + count, text), objects[count:]

    @classmethod
    def adopted(cls, rendered: tuple[int, str], rels: Sequence[Any]) -> _Relationships:
        """The relationships :meth:`split_rendered` gave, in the same order, with the same text."""
        made = cls()
        made._rendered_count, made._rendered_text = rendered
        list.extend(made, rels)
        return made


def _link_relationships_xml(targets: Sequence[Any], first: int) -> str | None:
    """What :func:`_relationship_xml` writes for ``_LinkRelationship(target, f"rId{n}")`` of each
    of ``targets``, numbered from ``first``, joined; None when a target is not text or the text
    holds a character XML cannot hold (then the objects, and openpyxl's own errors)."""
    parts = []
    for idx, target in enumerate(targets, first):
        if type(target) is not str:
            return None
        if _ESCAPED_IN_ATTRIBUTES.search(target):
            target = _attribute("", target)[3:-1]
        parts.append(f'<Relationship Type="{_LINK_TYPE}" Target="{target}" TargetMode="External" Id="rId{idx}"/>')
    text = "".join(parts)
    # printable text holds none of them (they are all control characters, surrogates or noncharacters)
    if not text.isprintable() and XML_ILLEGAL.search(text):
        return None
    return text


def _relationship_xml(rel: Any) -> str:
    """One ``<Relationship>`` element as lxml writes openpyxl's tree of it."""
    if type(rel) is _LinkRelationship and rel.TargetMode == "External" and rel.Type == _LINK_TYPE:
        target, rel_id = rel.Target, rel.Id  # text, as _LinkRelationship is made
        if type(target) is str and type(rel_id) is str and not _ESCAPED_IN_ATTRIBUTES.search(rel_id):
            if _ESCAPED_IN_ATTRIBUTES.search(target):
                target = _attribute("", target)[3:-1]
            return f'<Relationship Type="{_LINK_TYPE}" Target="{target}" TargetMode="External" Id="{rel_id}"/>'
        return (f'<Relationship Type="{_LINK_TYPE}"{_attribute("Target", rel.Target)}'
                f' TargetMode="External"{_attribute("Id", rel.Id)}/>')
    return (f"<Relationship{_attribute('Type', rel.Type)}{_attribute('Target', rel.Target)}"
            f"{_attribute('TargetMode', rel.TargetMode)}{_attribute('Id', rel.Id)}/>")


class RowWriter:
    """Writes rows of :class:`Cell` objects to a write-only worksheet.

    Create it before the sheet's first row (after column widths and frozen
    panes are set, as for ``ws.append``). ``write(row_idx, cells, height)``
    writes row ``row_idx`` (rows must come in order) with an optional
    height in points; a row dimension set on the sheet for that row wins,
    as in openpyxl. ``ws.append`` keeps working on the same sheet and
    numbers its rows after the last one written.
    """

    def __init__(self, ws: Any) -> None:
        if ws._rows is not None:
            raise ValueError(f"sheet {ws.title!r} already has rows; create the RowWriter first")
        if ws._writer is None:  # what ws._get_writer() does, with a writer that takes raw text
            ws._writer = _RawSheetWriter(ws)
            ws._writer.write_top()
        #: None when the sheet's writer was made elsewhere: rows are then parsed into elements.
        self._raw = ws._writer if isinstance(ws._writer, _RawSheetWriter) else None
        self._lxml_pending = True  # lxml may hold output that must come before the next raw row
        self._pending: list[bytes] = []  # rows' XML not yet in the file (_write_raw)
        self._pending_size = 0
        self.ws = ws
        self._styles = ws.parent._cell_styles
        self._style_ids: dict[bytes, object] = {}
        #: `` s="id"`` by the identity of a SharedStyle (pinned, so an id cannot be reused).
        self._shared_attrs: dict[int, str] = {id(None): ""}
        self._pinned: list[SharedStyle] = []
        self._heights: dict[float, str] = {}
        self._epoch = ws.parent.epoch
        self._iso_dates = ws.parent.iso_dates
        self._next = 1
        self._stream = self._rows()
        next(self._stream)
        ws._rows = self._stream

    def _rows(self) -> Any:
        """The sheet's row stream: XML elements from :meth:`write`, value lists from ``ws.append``."""
        writer = self.ws._writer
        xf = writer.xf.send(True)
        with xf.element("sheetData"):
            try:
                while True:
                    item = yield
                    self._flush_raw()  # rows written as text so far come before what lxml writes now
                    self._lxml_pending = True
                    if isinstance(item, tuple):  # (row_idx, cells): openpyxl writes it
                        writer.write_row(xf, item[1], item[0])
                    elif isinstance(item, etree._Element):
                        xf.write(item)
                    else:  # ws.append(values)
                        row = self.ws._values_to_row(item, self._next)
                        writer.write_row(xf, row, self._next)
                        self._next += 1
            except GeneratorExit:
                self._flush_raw()  # before </sheetData>
        writer.xf.send(None)

    def write(self, row_idx: int, cells: Sequence[Cell | None], height: float | None = None) -> None:
        """Write ``cells`` (None for an empty cell) as row ``row_idx``; they get their coordinates."""
        if row_idx < self._next:
            raise ValueError(f"row {row_idx} of sheet {self.ws.title!r} comes after row {self._next - 1}")
        self._next = row_idx + 1
        dims = self.ws.row_dimensions.get(row_idx)
        if dims is not None and dims.ht is None and height is not None:
            dims.height = height
        element, data = None, None
        try:
            text, links = self._row_xml(row_idx, cells, height if dims is None else None, dims)
            if self._raw is None:
                element = etree.fromstring(text)
            else:
                data = xml_bytes(text)
                if data is None:  # what XML cannot hold (a carriage return fell back earlier):
                    raise _Fallback  # openpyxl's writer raises its own error for it
        except (_Fallback, etree.XMLSyntaxError):
            self._fallback(row_idx, cells, height, dims)
            return
        for cell, col_idx in links:
            cell.row, cell.column = row_idx, col_idx
            link = cell._hyperlink
            if type(link) is Hyperlink:  # what its ref descriptor stores for a str, without the check
                link.__dict__["ref"] = f"{_LETTERS[col_idx - 1]}{row_idx}"
            else:
                link.ref = cell.coordinate
            self.ws._hyperlinks.append(link)
        if data is None:
            self._stream.send(element)
        else:
            self._write_raw(data)

    def _write_raw(self, data: bytes) -> None:
        """Queue a row's XML; the queue goes to the file in pieces of about 64 KB (one write, one
        deflate call each: a call per row cost more than the bytes) and before lxml writes."""
        self._pending.append(data)
        self._pending_size += len(data)
        if self._pending_size >= _RAW_CHUNK:
            self._flush_raw()

    def _flush_raw(self) -> None:
        if not self._pending:
            return
        assert self._raw is not None
        if self._lxml_pending:
            self._raw.flush()
            self._lxml_pending = False
        self._raw.file.write(b"".join(self._pending))
        self._pending.clear()
        self._pending_size = 0

    def _fallback(self, row_idx: int, cells: Sequence[Cell | None], height: float | None, dims: Any) -> None:
        bound = place_cells(cells, row_idx)
        if dims is None and height is not None:
            self.ws.row_dimensions[row_idx].height = height
        self._stream.send((row_idx, bound))
        if dims is None and height is not None:
            del self.ws.row_dimensions[row_idx]  # written; kept it would cost memory per row

    def _style_id(self, style: Any) -> str | None:
        """The workbook's id of the style array ``style`` as text; None for no style (all zero)."""
        if style is None:
            return None
        key = style.tobytes()  # the cheapest key of an array's content
        sid = self._style_ids.get(key, _UNKNOWN)
        if sid is _UNKNOWN:
            sid = self._style_ids[key] = str(self._styles.add(style)) if any(style) else None
        return cast("str | None", sid)

    def _style_attr(self, style: Any) -> str:
        """`` s="id"`` for the style array ``style`` ("" for none); remembered by identity for a
        :class:`SharedStyle` (which never changes, and is kept alive here)."""
        sid = self._style_id(style)
        attr = "" if sid is None else f' s="{sid}"'
        if type(style) is SharedStyle:
            self._shared_attrs[id(style)] = attr
            self._pinned.append(style)
        return attr

    def _row_head(self, row_idx: int, height: float | None, dims: Any) -> str:
        if dims is not None:
            return f'<row r="{row_idx}"' + "".join(f' {key}="{value}"' for key, value in dims)
        if height is None:
            return f'<row r="{row_idx}"'
        attr = self._heights.get(height)
        if attr is None:
            attr = self._heights[height] = f' ht="{safe_string(float(height))}" customHeight="1"'
        return f'<row r="{row_idx}"{attr}'

    def _row_xml(self, row_idx: int, cells: Sequence[Cell | None], height: float | None,
                 dims: Any) -> tuple[str, list[tuple[Cell, int]]]:
        """The row's XML and its hyperlinked cells with their columns; raises _Fallback.

        The plain twin of each cell's text is openpyxl's ``write_cell`` (lxml);
        ``tests/test_xlsx_rows.py`` compares the two.
        """
        num = str(row_idx)
        parts = [self._row_head(row_idx, height, dims), ">"]
        links = []
        shared = self._shared_attrs
        for col_idx, cell in enumerate(cells):
            if cell is None:
                continue
            if cell.__class__ is RepeatedCell:  # its XML after the reference is known once written
                tail = cell.xml_tail
                if tail is not None and cell._hyperlink is None and cell._comment is None:
                    parts.append(f'<c r="{_LETTERS[col_idx]}{num}"{tail}')
                    continue
                fresh = len(parts)
            else:
                fresh = -1
            if cell._comment is not None:
                raise _Fallback
            style = cell._style
            s_attr = shared.get(id(style))
            if s_attr is None:
                s_attr = self._style_attr(style)
            value = cell._value
            kind = cell.data_type
            if kind == "s":
                if not value:
                    if value is None:
                        if not s_attr:
                            continue
                    elif not isinstance(value, str):
                        raise _Fallback  # rich text
                    parts.append(f'<c r="{_LETTERS[col_idx]}{num}"{s_attr} t="inlineStr"/>')
                elif value.__class__ is not str:
                    raise _Fallback  # rich text (or a str subclass openpyxl would write its own way)
                elif "\r" in value:
                    raise _Fallback  # an XML reader would turn it into a line feed
                else:  # str.replace is many times faster than str.translate here
                    if "&" in value:
                        value = value.replace("&", "&amp;")
                    if "<" in value:
                        value = value.replace("<", "&lt;")
                    if ">" in value:
                        value = value.replace(">", "&gt;")
                    if cell._value[0].isspace() or cell._value[-1].isspace():  # as != its strip(), without the copy
                        parts.append(f'<c r="{_LETTERS[col_idx]}{num}"{s_attr} t="inlineStr"><is>'
                                     f'<t xml:space="preserve">{value}</t></is></c>')
                    else:
                        parts.append(f'<c r="{_LETTERS[col_idx]}{num}"{s_attr} t="inlineStr"><is><t>{value}</t></is></c>')
            elif value is None and not s_attr:
                continue
            elif kind == "n" or kind == "b":
                if value is None or value == "":
                    parts.append(f'<c r="{_LETTERS[col_idx]}{num}"{s_attr} t="{kind}"/>')
                else:
                    # a finite float as safe_string writes it (its very format), without its type and NaN checks
                    finite = value.__class__ is float and value - value == 0.0
                    shown = "%.16g" % value if finite else safe_string(value)  # noqa: UP031
                    parts.append(f'<c r="{_LETTERS[col_idx]}{num}"{s_attr} t="{kind}"><v>{shown}</v></c>')
            elif kind == "d" and isinstance(value, (dt.date, dt.datetime)) and not self._iso_dates:
                if getattr(value, "tzinfo", None) is not None:
                    raise _Fallback  # openpyxl's own error message
                parts.append(f'<c r="{_LETTERS[col_idx]}{num}"{s_attr} t="n">'
                             f'<v>{safe_string(to_excel(value, self._epoch))}</v></c>')
            else:
                raise _Fallback
            if cell._hyperlink is not None:
                links.append((cell, col_idx + 1))
            elif fresh >= 0 and len(parts) == fresh + 1:
                cell.xml_tail = parts[-1][len(f'<c r="{_LETTERS[col_idx]}{num}"'):]
        if len(parts) == 2:  # no cell: written as lxml writes an empty element
            return parts[0] + "/>", links
        parts.append("</row>")
        return "".join(parts), links


#: The workbook's registries a cell style adds to (:func:`registry_sizes`).
_REGISTRIES = ("_cell_styles", "_fonts", "_fills", "_borders", "_alignments", "_protections",
               "_number_formats", "_named_styles", "_differential_styles")


def registry_sizes(workbook: Any) -> tuple[int, ...]:
    """How many styles, fonts, fills, ... ``workbook`` has registered (a sheet written in another
    process must not add any: see :mod:`vendordd.scorecard.sheet_process`)."""
    sizes = []
    for name in _REGISTRIES:
        registry = getattr(workbook, name)
        sizes.append(len(registry.dxf if name == "_differential_styles" else registry))
    return tuple(sizes)


#: What saving reads from a write-only worksheet besides its file (the print ranges and filter
#: become the workbook's defined names; the tables become parts of their own).
_SHEET_STATE = ("_print_area", "_print_rows", "_print_cols", "auto_filter")


class ClosedSheet:
    """A closed write-only worksheet's file and what saving needs besides it (picklable): ``rendered``
    and ``rels``, its relationships as :meth:`_Relationships.split_rendered` gives them."""

    def __init__(self, path: str, rendered: tuple[int, str], rels: list[Any], state: dict[str, Any],
                 tables: list[Any]) -> None:
        self.path, self.rendered, self.rels = path, rendered, rels  # path: maybe a DeflatedPart
        self.state, self.tables = state, tables


def close_and_keep(ws: Any, path: str) -> ClosedSheet:
    """Close the write-only worksheet ``ws`` (its tail is written) and move its file to ``path``."""
    if not ws.closed:
        ws.close()
    writer = ws._writer
    out = writer.out
    if isinstance(out, DeflatedPart) and out.data is not None:  # kept in memory
        with open(path, "wb") as file:
            file.write(out.data)
    else:
        os.replace(out, path)
    if isinstance(out, DeflatedPart):
        path = DeflatedPart(path, out.crc, out.size)
    rels = writer._rels
    rendered, objects = rels.split_rendered() if isinstance(rels, _Relationships) else ((0, ""), list(rels))
    # the tables as a list: a TableList pickles as {name: ref}
    return ClosedSheet(path, rendered, objects, {name: getattr(ws, name) for name in _SHEET_STATE},
                       list(ws._tables.values()))


class _AdoptedWriter:
    """What openpyxl's save reads from a closed sheet's writer: its file, relationships and clean-up."""

    def __init__(self, out: str, rendered: tuple[int, str], rels: list[Any]) -> None:
        self.out = out
        self._rels = _Relationships.adopted(rendered, rels)

    def cleanup(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.remove(self.out)


def adopt_closed_sheet(ws: Any, closed: ClosedSheet) -> None:
    """Make the write-only worksheet ``ws`` (nothing written to it) hold ``closed``: saved as if it had
    been written and closed here; its file is deleted when it is saved or discarded."""
    if ws._writer is not None or ws._rows is not None:
        raise ValueError(f"sheet {ws.title!r} was written to here")
    for name, value in closed.state.items():
        setattr(ws, name, value)
    for table in closed.tables:
        ws._tables.add(table)
    ws._writer = _AdoptedWriter(closed.path, closed.rendered, closed.rels)
    ws._WriteOnlyWorksheet__saved = True  # closed: openpyxl's save copies the file as it is
