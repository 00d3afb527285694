"""publisher: one structured article, many faithful print-ready outputs."""

__version__ = "0.1.0"
