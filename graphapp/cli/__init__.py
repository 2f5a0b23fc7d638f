"""The ``graphapp`` command: :mod:`graphapp.cli.main` builds the parser; each group of sub-commands has its
module (:mod:`~graphapp.cli.admin`, :mod:`~graphapp.cli.weekly`)."""

from graphapp.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
