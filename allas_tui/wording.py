"""Small helpers for the words the app shows."""

from __future__ import annotations


def count(number: int, noun: str, plural: str | None = None) -> str:
    """`number` and `noun`, in the plural unless it is one: "1 bucket", "2,000 files"."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"
