"""Charts: horizontal 0-100 score bars coloured by rating, with cached values.

openpyxl writes charts without cached data, so previews and Protected View
would show them empty: the caches are filled here. Axes are not deleted
(``delete = False``) so that Excel shows them; every text names the house font.
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
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.drawing.text import Font as DrawingFont
from openpyxl.utils import get_column_letter, quote_sheetname

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
    ``values`` (which must match the referenced cells).
    """
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


def chart_rows(height_cm: float) -> int:
    """Rows of default height (15 pt = 0.529 cm) a chart of that height covers, plus one."""
    return math.ceil(height_cm / 0.529) + 1
