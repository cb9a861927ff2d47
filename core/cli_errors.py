"""The command line's one-line failure, shared by ``cli.py`` and the command groups it adds."""

from __future__ import annotations

from typing import Any

import click


class Fail(click.ClickException):
    """A user-facing failure: message lines already formatted, exit code 2 by default."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.exit_code = code  # type: ignore[misc]  # click declares it on the class; set per instance

    def show(self, file: Any = None) -> None:
        for line in self.message.splitlines():
            click.echo(f"vendordd: error: {line}", err=True)
