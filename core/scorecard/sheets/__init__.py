"""One module per sheet of the scorecard; each declares ``SHEET`` (see :mod:`vendordd.scorecard.registry`)."""
