"""The command line (``python -m kb``); see ``kb.cli.parser``."""

from kb.cli.parser import _parser, main

__all__ = ["_parser", "main"]
