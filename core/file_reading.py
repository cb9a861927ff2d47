"""Reading one input file's bytes safely: never hanging, never more than the size limit.

The contract: :func:`read_limited` returns the bytes of a regular file or a
pipe (read once), refusing a regular file over the limit before reading it
and a pipe as soon as it passes it; folders, devices and sockets are refused
by kind (:func:`open_input`). :func:`decode_text` accepts UTF-8 only (a
byte-order mark is dropped). Every refusal is an :class:`InputError` naming
the file.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .documents import InputError, Problem

#: Largest profile/policy file read, in bytes (docs/security.md).
MAX_FILE_BYTES = 5 * 1024 * 1024


def decode_text(raw: bytes, name: str) -> str:
    """``raw`` as text: UTF-8, a leading byte-order mark dropped; else InputError with the line."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError([Problem(name, f"not UTF-8 text (byte {exc.start} is "
                                        f"0x{raw[exc.start]:02x}); save the file as UTF-8",
                                  line=line)]) from None


def too_large(name: str, size: int | None, limit: int) -> InputError:
    """The error for input over ``limit`` bytes (``size``: the file's, None when a pipe ran past it)."""
    mib = f"{limit / 1048576:g} MiB"
    if size is None:
        return InputError([Problem(name, f"more than {limit:,} bytes came through the pipe; the limit is "
                                         f"{limit:,} bytes ({mib}); stopped reading there")])
    return InputError([Problem(name, f"the file is {size:,} bytes; the limit is {limit:,} bytes ({mib})")])


def file_kind(mode: int) -> str:
    """``file``, ``folder``, ``pipe`` or what else a stat mode is, in words."""
    return next((word for test, word in _FILE_KINDS if test(mode)), "special file")


_FILE_KINDS = ((stat.S_ISREG, "file"), (stat.S_ISDIR, "folder"), (stat.S_ISFIFO, "pipe"),
               (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"))


def cannot_open(path: Path, exc: OSError) -> str:
    """Why ``path`` could not be opened, in words, telling a broken or looping symbolic link apart."""
    if exc.errno == errno.ELOOP:
        return "cannot read: a symbolic link loop (too many levels of symbolic links)"
    if exc.errno == errno.ENOENT and path.is_symlink():
        return f"cannot read: a symbolic link to {os.readlink(path)}, which does not exist"
    return f"cannot read: {exc.strerror or exc}"


def open_input(path: Path, name: str) -> tuple[int, str, int]:
    """Open ``path`` for reading without hanging: (descriptor, kind, size).

    A named pipe is opened without waiting for a writer (one that has none
    reads as empty). Only regular files and pipes are accepted: a folder, a
    device (``/dev/zero``, a terminal) or a socket raises InputError naming
    what it is. The caller closes the descriptor.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) \
        | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputError([Problem(name, cannot_open(path, exc))]) from None
    try:
        info = os.fstat(fd)
        kind = file_kind(info.st_mode)
        if kind not in ("file", "pipe"):
            raise InputError([Problem(name, f"not a regular file or a pipe but a {kind}")])
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd, kind, info.st_size


def read_limited(path: Path, name: str, limit: int | None = None) -> tuple[bytes, bool]:
    """The bytes of a regular file or a pipe, read once and never more than ``limit`` (MAX_FILE_BYTES).

    Returns the bytes and whether it was a regular file. A regular file over
    the limit is refused before it is read; a pipe is read until it passes
    the limit, then refused. Raises InputError naming the file.
    """
    limit = MAX_FILE_BYTES if limit is None else limit
    fd, kind, size = open_input(path, name)
    try:
        if kind == "file" and size > limit:
            raise too_large(name, size, limit)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise too_large(name, None if kind == "pipe" else total, limit)
        if kind == "pipe" and not total:
            raise InputError([Problem(name, "nothing came through the pipe (a named pipe that no program "
                                            "was writing to reads as empty)")])
    except OSError as exc:
        raise InputError([Problem(name, f"cannot read: {exc.strerror or exc}")]) from None
    finally:
        os.close(fd)
    return b"".join(chunks), kind == "file"
