"""vendordd-financial: the ``financial_commitment`` check as an installable plugin."""

__version__ = "1.0.0"
