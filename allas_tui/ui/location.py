"""Where the browser is: the bucket list, a bucket, or a pseudo-folder in one."""

from __future__ import annotations

from dataclasses import dataclass

DELIMITER = "/"
"""What separates pseudo-folders in keys, as every Allas tool uses it."""


@dataclass(frozen=True, slots=True)
class Location:
    """A place to list: no bucket means the project's bucket list."""

    bucket: str | None = None
    prefix: str = ""
    """The pseudo-folder inside the bucket, ending in the delimiter, or empty."""
    pattern: str = ""
    """When set, the objects anywhere under `prefix` whose names match it (a find)."""

    @property
    def parent(self) -> Location:
        """One level up: the enclosing folder, the bucket, or the bucket list."""
        if self.bucket is None:
            return self
        if self.pattern:  # a find goes back to the folder it searched
            return Location(self.bucket, self.prefix)
        if not self.prefix:
            return Location()
        trimmed = self.prefix.rstrip(DELIMITER)
        cut = trimmed.rfind(DELIMITER)
        return Location(self.bucket, trimmed[: cut + 1] if cut >= 0 else "")

    def child(self, folder: str) -> Location:
        """The folder `folder` (a full prefix, as listings return it)."""
        if self.bucket is None:
            return Location(folder)
        return Location(self.bucket, folder)

    @property
    def label(self) -> str:
        """How the location reads in titles: `bucket/folder/`."""
        if self.bucket is None:
            return "Buckets"
        if self.pattern:
            return f"{self.bucket}/{self.prefix} · find {self.pattern}"
        return f"{self.bucket}/{self.prefix}"

    def folder_of(self, key: str) -> Location:
        """The folder of this bucket that holds `key`."""
        cut = key.rfind(DELIMITER)
        return Location(self.bucket, key[: cut + 1] if cut >= 0 else "")
