"""Placeholder stage, to be replaced by its implementation."""

from marsad.model import Analysis


def summarize(a: Analysis) -> Analysis:
    return a
