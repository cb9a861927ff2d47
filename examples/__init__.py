"""The bundled examples, shipped in the package as ``vendordd.examples``.

``vendordd examples DEST`` copies the profiles, the two buyer policies and the
portfolio out of an installed vendordd (core/bundled_examples.py); this file
only makes the folder a package. The rest of examples/ (the fact base, the
example plugins) is in the source tree only.
"""
