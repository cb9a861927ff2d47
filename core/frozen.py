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
    """``value`` with every dict and list made read-only (scalars are immutable already)."""
    if isinstance(value, dict):
        return FrozenDict((k, freeze(v)) for k, v in value.items())
    if isinstance(value, list):
        return FrozenList(freeze(v) for v in value)
    return value
