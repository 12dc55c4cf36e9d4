"""Placeholder stage, to be replaced by its implementation."""

from marsad.model import Analysis


def link_entities(a: Analysis) -> Analysis:
    return a
