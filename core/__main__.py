"""``python -m vendordd``."""

from .cli import main

main()
