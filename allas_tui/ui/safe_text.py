"""Names from the server are data: shown as inert, visible text, never markup."""

from __future__ import annotations

import unicodedata

from rich.text import Text

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e"}


def visible(name: str) -> str:
    """`name` with every control or format character written as an escape, so a
    key holding newlines or ANSI sequences cannot move the cursor or break a row."""
    if name.isprintable():
        return name
    out = []
    for char in name:
        if char.isprintable() or char == " ":
            out.append(char)
        elif char in _NAMED:
            out.append(_NAMED[char])
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            out.append(f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def safe_text(name: str, style: str = "") -> Text:
    """A Rich Text of `visible(name)`: never parsed as markup."""
    return Text(visible(name), style=style, no_wrap=True, overflow="ellipsis")
