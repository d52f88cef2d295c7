"""What a preview shows of an object's first bytes: text, made inert and
highlighted by file type, or a hex dump."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rich.syntax import Syntax
from rich.text import Text

PREVIEW_BYTES = 64 * 1024
"""Bytes fetched for a preview: one ranged GET, whatever the object's size."""
HEX_WIDTH = 16
"""Bytes per line of the hex dump."""
_SHOWN_AS_IS = {"\n", "\t"}
_UTF8_LONGEST = 4


@dataclass(frozen=True, slots=True)
class Preview:
    """The start of an object, and what it is."""

    data: bytes
    size: int
    """The whole object's size."""
    text: str | None
    """The data as text, when it is text (UTF-8 without NUL bytes)."""

    @property
    def partial(self) -> bool:
        """True when only the start of the object was fetched."""
        return len(self.data) < self.size


def as_text(data: bytes, cut: bool) -> str | None:
    """`data` as text if it reads as UTF-8 without NULs; a `cut` may end
    inside a character, whose first bytes are then dropped."""
    if b"\x00" in data:
        return None
    for drop in range(_UTF8_LONGEST if cut else 1):
        try:
            return data[: len(data) - drop].decode("utf-8")
        except UnicodeDecodeError:
            continue
    return None


def inert(text: str) -> str:
    """`text` with control and format characters (escape sequences, bidi
    overrides) shown as symbols, so a file cannot style or move the screen.
    Line ends and tabs stay."""
    text = text.replace("\r\n", "\n")
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char in _SHOWN_AS_IS or char.isprintable():
            out.append(char)
        elif ord(char) < 0x20:
            out.append(chr(0x2400 + ord(char)))  # the Control Pictures block
        elif ord(char) == 0x7F:
            out.append("\u2421")
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def highlighted(text: str, filename: str) -> Syntax:
    """`text`, made inert, highlighted by the lexer its file name suggests."""
    lexer = Syntax.guess_lexer(filename, code=text[:4096])
    return Syntax(inert(text), lexer, line_numbers=True, word_wrap=False, theme="ansi_dark")


def hex_dump(data: bytes) -> Text:
    """Offset, hex bytes and printable ASCII, `HEX_WIDTH` bytes a line."""
    lines = []
    for offset in range(0, len(data), HEX_WIDTH):
        chunk = data[offset : offset + HEX_WIDTH]
        hexes = " ".join(f"{b:02x}" for b in chunk).ljust(HEX_WIDTH * 3 - 1)
        ascii_part = "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in chunk)
        lines.append(f"{offset:08x}  {hexes}  {ascii_part}")
    return Text("\n".join(lines))
