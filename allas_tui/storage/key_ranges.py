"""Splitting a key range in two, for listing one bucket over several connections.

Both protocols list in key order, a page at a time, each page asking for the
names after the last one seen; one listing is one request after another. A
listing split into ranges (after `low`, up to and including `high`) runs one
request per range at once. Where to split is a guess, since the keys are not
known before they are listed: `key_between` halves the space of possible keys
between the last key seen and the range's end. A guess that lands where no
keys are costs one empty page, and the next split lands closer.

Servers order keys by their UTF-8 bytes, which is the order of their code
points, and so the order of Python strings.
"""

from __future__ import annotations

_ASCII_END = 0x80
"""Where the space of an open-ended range stops, for keys that are ASCII there:
most keys are, and halving up to 0x110000 would take 13 empty pages to get
back to them. Keys above still get listed, only with fewer guesses landing there."""
_UNICODE_END = 0x110000
_SURROGATES = range(0xD800, 0xE000)
"""Code points no UTF-8 string holds."""


def key_between(low: str, high: str | None) -> str | None:
    """A string `s` with `low < s` and `s <= high` (`high` None: no end), near
    the middle of the keys possible between them; None when there is no room
    to split (as between "ab" and "ab\\x00")."""
    for index in range(len(low) + 1):
        low_code = ord(low[index]) if index < len(low) else 0
        if high is None:
            high_code = _ASCII_END if low_code < _ASCII_END else _UNICODE_END
        elif index < len(high):
            high_code = ord(high[index])
        else:
            return None  # high is a prefix of low: low is past high
        if index < len(low) and high is not None and low_code == high_code:
            continue  # still in the common prefix
        middle = (low_code + high_code) // 2
        if middle in _SURROGATES:
            middle = _SURROGATES.stop
        if low_code < middle < high_code:
            return low[:index] + chr(middle)
        if index >= len(low):
            return None  # high is low and a \x00 or \x01 after it
        # neighbouring characters: keep low's and halve what follows it
        rest = key_between(low[index + 1 :], None)
        return None if rest is None else low[: index + 1] + rest
    return None
