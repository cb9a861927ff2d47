"""``python -m vendordd``."""

from .cli import console

console()
