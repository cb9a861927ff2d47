"""Charts: horizontal 0-100 score bars coloured by rating, with cached values.

openpyxl writes charts without cached data, so previews and Protected View
would show them empty: the caches are filled here. Axes are not deleted
(``delete = False``) so that Excel shows them; every text names the house font.

A workbook has a chart on every vendor sheet: :func:`score_bar_chart` writes
the chart's XML as text (:func:`bar_chart_xml`), the same bytes openpyxl
makes from the objects :func:`plain_score_bar_chart` builds (its plain twin;
``tests/test_scorecard_speed_cells.py`` compares the two on many inputs),
about ten times faster.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from openpyxl.chart import BarChart, Reference, Series
from openpyxl.chart.data_source import AxDataSource, NumData, NumVal, StrData, StrRef, StrVal
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.compat import safe_string
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.drawing.text import Font as DrawingFont
from openpyxl.utils import get_column_letter, quote_sheetname

from ..xlsx_text import XML_ILLEGAL
from .openpyxl_internals import TextChart
from .styles import BAR_COLOURS, FONT


def _rich(size_pt: float, bold: bool = False) -> CharacterProperties:
    return CharacterProperties(sz=int(size_pt * 100), b=bold, latin=DrawingFont(typeface=FONT))


def _text_props(size_pt: float) -> RichText:
    props = _rich(size_pt)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props, r=[])])


def _chart_title(text: str) -> Title:
    props = _rich(12, bold=True)
    para = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props, t=text)])
    return Title(tx=Text(rich=RichText(p=[para])), overlay=False)


def score_bar_chart(ws: Any, *, title: str, label_col: int, value_col: int, first_row: int,
                     labels: Sequence[str], values: Sequence[float | None],
                     ratings: Sequence[str | None], series_name: str) -> BarChart:
    """Horizontal bars of 0-100 scores, coloured by rating, with cached values.

    openpyxl writes charts without cached data, so previews and Protected
    View would show them empty: the caches are filled from ``labels`` and
    ``values`` (which must match the referenced cells). The chart's XML is
    made as text (:func:`bar_chart_xml`); what that does not handle is built
    by :func:`plain_score_bar_chart`. Set the result's size and anchor only
    (as ``add_chart`` does): its XML is already made.
    """
    xml = bar_chart_xml(ws.title, title=title, label_col=label_col, value_col=value_col, first_row=first_row,
                        labels=labels, values=values, ratings=ratings, series_name=series_name)
    if xml is None:
        return plain_score_bar_chart(ws, title=title, label_col=label_col, value_col=value_col,
                                     first_row=first_row, labels=labels, values=values, ratings=ratings,
                                     series_name=series_name)
    return TextChart(xml)


def plain_score_bar_chart(ws: Any, *, title: str, label_col: int, value_col: int, first_row: int,
                          labels: Sequence[str], values: Sequence[float | None],
                          ratings: Sequence[str | None], series_name: str) -> BarChart:
    """:func:`score_bar_chart` built from openpyxl's chart objects (its plain twin)."""
    count = len(labels)
    last_row = first_row + count - 1
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.gapWidth = 50
    chart.title = _chart_title(title)
    chart.legend = None
    series = Series(Reference(ws, min_col=value_col, min_row=first_row, max_row=last_row), title=series_name)
    series.tx = SeriesLabel(v=series_name)
    series.val.numRef.numCache = NumData(
        formatCode="0.0", ptCount=count,
        pt=[NumVal(idx=i, v=v) for i, v in enumerate(values) if v is not None])
    cat_ref = f"{quote_sheetname(ws.title)}!${get_column_letter(label_col)}${first_row}:" \
              f"${get_column_letter(label_col)}${last_row}"
    series.cat = AxDataSource(strRef=StrRef(f=cat_ref, strCache=StrData(
        ptCount=count, pt=[StrVal(idx=i, v=label) for i, label in enumerate(labels)])))
    series.invertIfNegative = False
    series.dPt = [DataPoint(idx=i, invertIfNegative=False,
                            spPr=GraphicalProperties(solidFill=BAR_COLOURS.get(r, BAR_COLOURS[None])))
                  for i, r in enumerate(ratings)]
    series.dLbls = DataLabelList(showVal=True, showSerName=False, showCatName=False, showLegendKey=False,
                                 showPercent=False, showBubbleSize=False, txPr=_text_props(9))
    chart.series.append(series)
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.scaling.orientation = "maxMin"   # first row on top
    chart.y_axis.crosses = "max"                  # ... and the value axis at the bottom
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.y_axis.majorUnit = 25
    chart.y_axis.number_format = "0"
    chart.x_axis.txPr = _text_props(9)
    chart.y_axis.txPr = _text_props(9)
    return chart


_A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
_LINE = f'<a:ln {_A}><a:prstDash val="solid"/></a:ln>'


def _run_props(tag: str, size_pt: int, bold: bool) -> str:
    return f'<a:{tag} sz="{size_pt * 100}" b="{int(bold)}"><a:latin typeface="{FONT}"/></a:{tag}>'


#: The 9-point text of the data labels and axes (:func:`_text_props`).
_SMALL = (f'<txPr><a:bodyPr {_A}/><a:p {_A}><a:pPr>{_run_props("defRPr", 9, False)}</a:pPr>'
          f'{_run_props("endParaRPr", 9, False)}</a:p></txPr>')
_HEAD = ('<chartSpace xmlns="http://schemas.openxmlformats.org/drawingml/2006/chart"><chart><title><tx><rich>'
         f'<a:bodyPr {_A}/><a:p {_A}><a:pPr>{_run_props("defRPr", 12, True)}</a:pPr><a:r>{_run_props("rPr", 12, True)}')
_LABELS = (f'<dLbls>{_SMALL}<showLegendKey val="0"/><showVal val="1"/><showCatName val="0"/><showSerName val="0"/>'
           '<showPercent val="0"/><showBubbleSize val="0"/></dLbls>')
_TAIL = ('</numCache></numRef></val></ser><gapWidth val="50"/><axId val="10"/><axId val="100"/></barChart>'
         '<catAx><axId val="10"/><scaling><orientation val="maxMin"/></scaling><delete val="0"/><axPos val="l"/>'
         f'<majorTickMark val="none"/><minorTickMark val="none"/>{_SMALL}<crossAx val="100"/><lblOffset val="100"/>'
         '</catAx><valAx><axId val="100"/><scaling><orientation val="minMax"/><max val="100"/><min val="0"/></scaling>'
         '<delete val="0"/><axPos val="l"/><majorGridlines/><numFmt formatCode="0" sourceLinked="0"/>'
         f'<majorTickMark val="none"/><minorTickMark val="none"/>{_SMALL}<crossAx val="10"/><crosses val="max"/>'
         '<majorUnit val="25"/></valAx></plotArea><plotVisOnly val="1"/><dispBlanksAs val="gap"/></chart></chartSpace>')


def _text(text: str) -> str:
    """``text`` as lxml writes an element's text."""
    for char, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;")):
        if char in text:
            text = text.replace(char, escaped)
    return text


def bar_chart_xml(sheet_title: str, *, title: str, label_col: int, value_col: int, first_row: int,
                  labels: Sequence[str], values: Sequence[float | None], ratings: Sequence[str | None],
                  series_name: str) -> bytes | None:
    """The chart part of :func:`plain_score_bar_chart`'s chart, as openpyxl writes it (UTF-8 bytes).

    None where it differs from openpyxl's writing or cannot be written (then
    build the chart): fewer than two bars (openpyxl names one cell
    differently), lengths that differ, a number that is not finite, a text
    that is empty or starts or ends with white space (openpyxl's rules for
    those differ by element), a character XML cannot hold.
    """
    count = len(labels)
    if count < 2 or len(values) != count or len(ratings) != count \
            or any(value is not None and not math.isfinite(value) for value in values) \
            or any(not text or text != text.strip() for text in (title, series_name, *labels)):
        return None
    sheet = _text(quote_sheetname(sheet_title))
    last_row = first_row + count - 1
    label_letter, value_letter = get_column_letter(label_col), get_column_letter(value_col)
    parts = [_HEAD, f'<a:t>{_text(title)}</a:t></a:r></a:p></rich></tx><overlay val="0"/></title><plotArea><barChart>'
                    f'<barDir val="bar"/><grouping val="clustered"/><ser><idx val="0"/><order val="0"/>'
                    f'<tx><v>{_text(series_name)}</v></tx><spPr>{_LINE}</spPr><invertIfNegative val="0"/>']
    parts += [f'<dPt><idx val="{idx}"/><invertIfNegative val="0"/><spPr><a:solidFill {_A}><a:srgbClr '
              f'val="{BAR_COLOURS.get(rating, BAR_COLOURS[None])}"/></a:solidFill>{_LINE}</spPr></dPt>'
              for idx, rating in enumerate(ratings)]
    parts.append(f'{_LABELS}<cat><strRef><f>{sheet}!${label_letter}${first_row}:${label_letter}${last_row}</f>'
                 f'<strCache><ptCount val="{count}"/>')
    parts += [f'<pt idx="{idx}"><v>{_text(label)}</v></pt>' for idx, label in enumerate(labels)]
    parts.append(f'</strCache></strRef></cat><val><numRef><f>{sheet}!${value_letter}${first_row}:'
                 f'${value_letter}${last_row}</f><numCache><formatCode>0.0</formatCode><ptCount val="{count}"/>')
    parts += [f'<pt idx="{idx}"><v>{safe_string(value)}</v></pt>' for idx, value in enumerate(values)
              if value is not None]
    parts.append(_TAIL)
    text = "".join(parts)
    if XML_ILLEGAL.search(text):
        return None
    return text.encode("utf-8")


def chart_rows(height_cm: float) -> int:
    """Rows of default height (15 pt = 0.529 cm) a chart of that height covers, plus one."""
    return math.ceil(height_cm / 0.529) + 1
