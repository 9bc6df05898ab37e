"""Namespace shim so Pelican's plugin auto-discovery finds pelican-newsroom."""

from pelican_newsroom import register

__all__ = ["register"]
