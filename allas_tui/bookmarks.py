"""Bookmarks: places (a bucket, or a folder in one) kept in the config file
per profile, so a bucket shared by another project, which no listing shows,
is one key away after a restart. Written with tomlkit, which keeps the
user's comments and layout."""

from __future__ import annotations

from pathlib import Path

import tomlkit
from tomlkit.items import Table

SECTION = "bookmarks"
"""The config file's table: profile name → list of `bucket/prefix/` places."""


class Bookmarks:
    """The bookmarks of one profile, read from and saved to the config file."""

    def __init__(self, path: Path, profile: str) -> None:
        self.path = path
        self.profile = profile
        self.places: list[str] = self._read()

    def _document(self) -> tomlkit.TOMLDocument:
        if not self.path.exists():
            return tomlkit.document()
        return tomlkit.parse(self.path.read_text(encoding="utf-8"))

    def _read(self) -> list[str]:
        try:
            section = self._document().get(SECTION, {})
        except (OSError, tomlkit.exceptions.ParseError):
            return []  # the config loader reports a broken file
        places = section.get(self.profile, []) if isinstance(section, dict) else []
        return [str(p) for p in places if isinstance(p, str)]

    def __contains__(self, place: str) -> bool:
        return place in self.places

    def toggle(self, place: str) -> bool:
        """Add `place`, or remove it if it is there; True if it is now bookmarked.
        Saved at once; OSError if the file cannot be written."""
        added = place not in self.places
        self.places = [*self.places, place] if added else [p for p in self.places if p != place]
        self._save()
        return added

    def _save(self) -> None:
        document = self._document()
        section = document.get(SECTION)
        if not isinstance(section, Table):
            section = tomlkit.table()
            document[SECTION] = section
        section[self.profile] = self.places
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # a temporary file renamed over the old one: a full disk cannot truncate the config
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(tomlkit.dumps(document), encoding="utf-8")
        temporary.replace(self.path)
