"""Placeholder stage, to be replaced by its implementation."""

from marsad.model import Analysis


def find_quotes(a: Analysis) -> Analysis:
    return a
