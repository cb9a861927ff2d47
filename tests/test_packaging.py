"""The wheel holds one import namespace, vendordd, with its data files."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from .conftest import ROOT


@pytest.mark.slow
def test_wheel_has_only_the_vendordd_namespace(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    [wheel] = tmp_path.glob("vendordd-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top == {"vendordd"}
    for required in ("vendordd/plugins/leadership_turnover.py", "vendordd/schemas/vendor-profile.schema.json",
                     "vendordd/schemas/results.schema.json", "vendordd/templates/policy.yaml",
                     "vendordd/templates/profile.yaml", "vendordd/templates/scorecard.xlsx",
                     "vendordd/examples/profiles/openai.yaml", "vendordd/examples/policy-us-buyer.yaml",
                     "vendordd/examples/portfolio.yaml"):
        assert required in names
    assert not any(n.startswith(("core/", "plugins/", "tests/")) for n in names)
