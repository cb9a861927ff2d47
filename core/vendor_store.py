"""The vendor entries of a big run, kept compressed until they are read.

A results entry is about 100 KB of Python objects (30 KB pickled, 9 KB
compressed). A run over tens of thousands of vendors cannot hold them all
as objects, so above :data:`KEEP_AS_OBJECTS` vendors the run keeps each
entry as zlib-compressed pickle bytes in a :class:`VendorStore`, and
``results["vendors"]`` is that store instead of a list. Smaller runs keep
a plain list: decoding costs about 0.35 ms per entry and read.

A store is a read-only :class:`~collections.abc.Sequence` of mappings,
sorted by vendor id like the list: indexing and iterating decode a fresh
``dict`` each time (changing it changes nothing in the store), so readers
should make one pass and keep only what they need. ``json`` cannot encode a
store directly; :func:`vendordd.results_json.iter_results_json` streams a
results document that holds one.
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, overload

#: Runs over more vendors than this keep their entries compressed.
KEEP_AS_OBJECTS = 2000


def pack(entry: Mapping[str, Any]) -> bytes:
    """The compact form of one results entry (what :class:`VendorStore` holds)."""
    return zlib.compress(pickle.dumps(entry, protocol=5), 1)


def unpack(blob: bytes) -> dict[str, Any]:
    return pickle.loads(zlib.decompress(blob))


class DecodedView(Sequence[Any]):
    """A read-only sequence of ``items``, each given through ``decode`` when it is read (never kept)."""

    def __init__(self, items: Sequence[Any], decode: Callable[[Any], dict[str, Any]]) -> None:
        self._items = items
        self._decode = decode

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [self._decode(item) for item in self._items[index]]
        return self._decode(self._items[index])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (self._decode(item) for item in self._items)


class VendorStore(DecodedView):
    """Packed vendor entries (see the module docstring) with their ids at hand."""

    def __init__(self, items: Iterable[tuple[str, bytes]] = ()) -> None:
        """``items``: ``(vendor id, entry packed with :func:`pack`)`` pairs, in the order to keep."""
        self._ids: list[str] = []
        self._blobs: list[bytes] = []
        for vendor_id, blob in items:
            self._ids.append(vendor_id)
            self._blobs.append(blob)
        super().__init__(self._blobs, unpack)

    @property
    def ids(self) -> list[str]:
        """The vendor ids, in the store's order (no decoding)."""
        return list(self._ids)

    def __repr__(self) -> str:
        return f"<VendorStore of {len(self)} vendors>"

    def get(self, vendor_id: str) -> dict[str, Any]:
        """The entry of that vendor id (KeyError when absent)."""
        return unpack(self._blobs[self._ids.index(vendor_id)])

    def replace(self, entries: Mapping[str, Mapping[str, Any]]) -> None:
        """Put new entries in place of those with these vendor ids (the order stays)."""
        for idx, vendor_id in enumerate(self._ids):
            if vendor_id in entries:
                self._blobs[idx] = pack(entries[vendor_id])
