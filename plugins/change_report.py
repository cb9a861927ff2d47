"""Built-in: the Changes sheet, when ``run --baseline`` compared with an earlier run.

The comparison itself is core (``vendordd.diff``, stored per vendor as
``change``); this plugin only shows it, through the public
``scorecard_sheets`` hook: one row per vendor and check that changed, with
the score and rating before and after and the facts that appeared or went.
"""

from __future__ import annotations

from vendordd import hookimpl

HEADERS = ["Vendor", "Got worse", "Vendor change", "Check", "Score before", "Score after", "Delta",
           "Rating before", "Rating after", "Facts changed"]


@hookimpl
def scorecard_sheets(results, writer):
    baseline = results.get("baseline")
    if not baseline:
        return
    sheet = writer.sheet("Changes", HEADERS, widths=[26, 10, 30, 26, 10, 10, 9, 11, 11, 70])
    for vendor in results.get("vendors", []):
        change = vendor.get("change") or {}
        rows = change.get("checks") or [None]
        for check in rows:
            if check is None:
                sheet.append([vendor["name"], change.get("got_worse", False), change.get("summary", ""),
                              "", None, None, None, "", "", ""])
                continue
            sheet.append([vendor["name"], change.get("got_worse", False), change.get("summary", ""),
                          check["title"], check["score_before"], check["score_after"],
                          check["score_delta"], check["rating_before"] or "", check["rating_after"] or "",
                          "\n".join(check["facts"])])
    for vid in baseline.get("removed", []):
        sheet.append([vid, False, "in the baseline, not assessed in this run", "", None, None, None,
                      "", "", ""])
