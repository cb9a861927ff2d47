"""Whether any installed distribution may declare entry points in a group, without importlib.metadata.

Importing ``importlib.metadata`` costs about 10 ms (it brings the ``email``
package), a sixth of ``vendordd validate``'s whole start on top of a bare
Python. Most installations have no third-party vendordd plugin, so the host
first asks :func:`may_declare`, which reads the same ``entry_points.txt``
files ``importlib.metadata`` would read, and loads the entry points the usual
way only when one of them mentions the group or when it cannot be sure.
"""

from __future__ import annotations

import os
import sys


def may_declare(group: str) -> bool:
    """False only when no distribution ``importlib.metadata`` can see declares entry points in ``group``.

    True (unsure) when a finder other than the standard path finder can list
    distributions, when a ``sys.path`` entry is not a plain folder (a zip
    file), for eggs, and for any ``entry_points.txt`` that cannot be read or
    that mentions ``[group]`` anywhere.
    """
    from importlib.machinery import PathFinder

    for finder in sys.meta_path:
        if getattr(finder, "find_distributions", None) is not None and finder is not PathFinder:
            return True
    header = f"[{group}]".encode()
    for entry in sys.path:
        try:
            found = os.scandir(entry or ".")
        except NotADirectoryError:
            return True
        except OSError:  # missing folders are skipped by importlib.metadata too
            continue
        with found:
            for item in found:
                name = item.name
                if name.endswith((".egg", ".egg-link")):
                    return True
                if not name.endswith((".dist-info", ".egg-info")):
                    continue
                try:
                    with open(os.path.join(entry or ".", name, "entry_points.txt"), "rb") as fh:
                        if header in fh.read():
                            return True
                except (FileNotFoundError, NotADirectoryError):
                    continue
                except OSError:
                    return True
    return False
