"""A read-only view of a profile for checks: one check cannot change what the next one sees.

:func:`freeze` turns a parsed profile (dicts, lists and scalars) into
:class:`FrozenDict` and :class:`FrozenList`, subclasses of ``dict`` and
``list`` (so ``isinstance`` checks, ``json`` and reading work as before)
whose changing methods raise :class:`ReadOnlyError`. A copy
(``copy.copy``, ``copy.deepcopy``, ``dict(x)``, ``list(x)``) is a plain,
changeable dict or list, and a pickled one unpickles as plain data.
"""

from __future__ import annotations

from typing import Any, NoReturn


class ReadOnlyError(TypeError):
    """A check tried to change the profile it was given."""


def _refuse(*_args: Any, **_kwargs: Any) -> NoReturn:
    raise ReadOnlyError("the profile is read-only: a check must not change it (copy what you need)")


def _thaw(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_thaw(v) for v in value]
    return value


class FrozenDict(dict):
    """A dict that refuses changes (see the module docstring)."""

    __slots__ = ()
    __setitem__ = __delitem__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def copy(self) -> dict[Any, Any]:
        return dict(self)

    def __copy__(self) -> dict[Any, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[Any, Any]:
        return _thaw(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self),))


class FrozenList(list):
    """A list that refuses changes (see the module docstring)."""

    __slots__ = ()
    __setitem__ = __delitem__ = _refuse
    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __iadd__ = __imul__ = _refuse

    def copy(self) -> list[Any]:
        return list(self)

    def __copy__(self) -> list[Any]:
        return list(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> list[Any]:
        return _thaw(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (list, (list(self),))


def freeze(value: Any) -> Any:
    """``value`` with every dict and list made read-only (scalars are immutable already).

    The same as :func:`_freeze_plain` (tests/test_assessment_fast_paths.py compares them),
    faster on parsed documents: plain dicts and lists are copied in one loop
    without a generator per container, and scalars of the JSON types are
    passed by their exact type without an ``isinstance`` test.
    """
    kind = type(value)
    if kind is dict:
        return _freeze_dict(value)
    if kind is list:
        return _freeze_list(value)
    return _freeze_plain(value)


#: The exact types of parsed scalars, kept as they are (a subclass takes the plain path).
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _freeze_dict(value: dict[Any, Any]) -> FrozenDict:
    out = {}
    for key, item in value.items():
        kind = type(item)
        if kind in _SCALARS:
            out[key] = item
        elif kind is dict:
            out[key] = _freeze_dict(item)
        elif kind is list:
            out[key] = _freeze_list(item)
        else:
            out[key] = _freeze_plain(item)
    return FrozenDict(out)


def _freeze_list(value: list[Any]) -> FrozenList:
    out = []
    for item in value:
        kind = type(item)
        if kind in _SCALARS:
            out.append(item)
        elif kind is dict:
            out.append(_freeze_dict(item))
        elif kind is list:
            out.append(_freeze_list(item))
        else:
            out.append(_freeze_plain(item))
    return FrozenList(out)


def _freeze_plain(value: Any) -> Any:
    """:func:`freeze`'s plain twin: the reference it must equal."""
    if isinstance(value, dict):
        return FrozenDict((k, _freeze_plain(v)) for k, v in value.items())
    if isinstance(value, list):
        return FrozenList(_freeze_plain(v) for v in value)
    return value
