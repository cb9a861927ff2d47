"""The plugin module named by the ``vendordd`` entry point: a check and a schema fragment."""

import json
from importlib import resources

from vendordd import hookimpl

from .check import CHECK, EXTENSION

vendordd_plugin_api = 1


@hookimpl
def register_checks(register):
    register(CHECK)


@hookimpl
def register_schemas(register):
    text = resources.files(__package__).joinpath("schema.json").read_text("utf-8")
    register(EXTENSION, json.loads(text))
