"""Backstory: structured news facts in, explainer website out."""

__version__ = "0.1.0"
