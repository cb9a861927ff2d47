"""vendordd: due-diligence checks on suppliers, with an Excel scorecard.

The public plugin API is re-exported here: ``hookimpl``, ``Check``,
``CheckContext``, ``Finding``, ``RATINGS`` and ``PLUGIN_API``.
"""

import pluggy

from .model import RATINGS, STATUSES, Check, CheckContext, Finding

__version__ = "0.1.0"

#: The plugin API version this host implements. A plugin may declare
#: ``vendordd_plugin_api = N`` in its module; one that needs a newer API is
#: refused with a message saying so.
PLUGIN_API = 1

hookimpl = pluggy.HookimplMarker("vendordd")

__all__ = ["Check", "CheckContext", "Finding", "PLUGIN_API", "RATINGS", "STATUSES",
           "__version__", "hookimpl"]
