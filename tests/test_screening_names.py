"""Name normalisation: transliteration by anyascii, Han and kana kept as written."""

from __future__ import annotations

import pytest

from vendordd.screening import normalise, words


@pytest.mark.parametrize("native, latin", [
    ("ООО «Кестрел»", "Kestrel LLC"),            # Cyrillic, as the former hand table did
    ("ТОВ «Мотор Січ»", "Motor Sich LLC"),        # Ukrainian
    ("Ελληνική Τράπεζα", "Elliniki Trapeza"),     # Greek: not transliterated before anyascii
    ("Հայաստան Բանկ", "Hayastan Bank"),           # Armenian
    ("საქართველოს ბანკი", "Sakartvelos Banki"),   # Georgian
    ("Société Générale", "SOCIETE GENERALE"),
    ("Łódź Øresund Þór", "Lodz Oresund Thor"),
])
def test_names_in_other_scripts_have_the_key_of_their_latin_spelling(native, latin):
    assert normalise(native) == normalise(latin)


def test_han_and_kana_are_kept_as_written():
    assert words("华为技术有限公司") == ["华为技术有限公司"]
    assert normalise("株式会社東芝") != normalise("Zhu Shi Hui She Dong Zhi")
    assert normalise("Huawei 华为") == "huawei 华为"


def test_ascii_names_are_unchanged_by_transliteration():
    assert normalise("Beijing Zhipu Huazhang Technology Co., Ltd.") == "beijing huazhang zhipu"
    assert normalise("O'Brien & Sons") == "obrien sons"
