"""Placeholder stage, to be replaced by its implementation."""

from marsad.model import Analysis


def segment(a: Analysis) -> Analysis:
    return a
