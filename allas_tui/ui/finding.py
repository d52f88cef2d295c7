"""Find: objects anywhere under a folder whose names match a pattern, listed
without the delimiter and streamed into the table as the pages come."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterator

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.models import ObjectInfo
from allas_tui.ui.location import DELIMITER, Location

GLOB_CHARACTERS = frozenset("*?[")


def name_matcher(pattern: str) -> Callable[[str], bool]:
    """A test of a key (relative to the folder searched) against `pattern`,
    ignoring case: a glob such as `*.fastq.gz` must match the whole name or
    its last part; plain text need only appear in it."""
    needle = pattern.strip().casefold()
    if GLOB_CHARACTERS & set(needle):

        def glob(key: str) -> bool:
            folded = key.casefold()
            last = folded.rsplit(DELIMITER, 1)[-1]
            return fnmatch.fnmatchcase(last, needle) or fnmatch.fnmatchcase(folded, needle)

        return glob
    return lambda key: needle in key.casefold()


def found_objects(
    backend: StorageBackend, location: Location, cancelled: Callable[[], bool]
) -> Iterator[tuple[list[ObjectInfo], int]]:
    """Per page of the recursive listing under `location.prefix`: the objects
    whose names match `location.pattern`, and how many names the page had."""
    assert location.bucket is not None
    matches = name_matcher(location.pattern)
    prefix = location.prefix
    for page in backend.iter_pages(location.bucket, prefix):
        if cancelled():
            return
        found = [o for o in page.objects if matches(o.key.removeprefix(prefix))]
        yield found, len(page.objects)
