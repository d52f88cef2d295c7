"""allas-tui: a keyboard-driven terminal browser for CSC Allas over Swift and S3."""

__version__ = "0.1.0"
