"""What a delete would remove, counted before anything goes, and the
confirmation text that says exactly that."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from rich.filesize import decimal
from rich.text import Text

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.models import Protocol
from allas_tui.storage.swift_segments import segment_container
from allas_tui.ui.safe_text import visible
from allas_tui.ui.screens.confirm import Choice
from allas_tui.ui.selection import Selection, name_list
from allas_tui.ui.widgets.object_rows import RowKind
from allas_tui.wording import count

CONFIRM = Choice(("y", "enter"), "y / Enter: delete", "delete")
DELETE_ALL = Choice(("a",), "a: delete all objects, then the bucket", "delete-all")
WITH_SEGMENTS = Choice(("b",), "b: delete the segment buckets too", "with-segments")


@dataclass
class Doomed:
    """Everything one bucket would lose: keys with sizes, and whether the bucket goes too."""

    bucket: str
    keys: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    whole_bucket: bool = False

    @property
    def bytes(self) -> int:
        return sum(self.sizes)

    @property
    def common_prefix(self) -> str:
        """The longest prefix all the keys share: one listing of it finds them all."""
        return os.path.commonprefix(self.keys)  # noqa: RUF071 - a key prefix, not a path

    def add(self, key: str, size: int) -> None:
        self.keys.append(key)
        self.sizes.append(size)


@dataclass
class DeletePlan:
    """What the selection covers, and the `_segments` buckets of whole buckets
    that go too only if the user says so."""

    doomed: list[Doomed]
    companions: list[Doomed] = field(default_factory=list)
    segments: list[Doomed] = field(default_factory=list)
    """Over S3: the segments in `<bucket>_segments` of the doomed Swift large
    objects. Swift deletes them with their manifests by itself; S3 cannot
    (it does not read the manifest), so they are listed and deleted here."""

    def chosen(self, with_companions: bool) -> list[Doomed]:
        """What goes: the selection, and the segment buckets if asked for,
        else the doomed objects' own segments."""
        if with_companions:
            return [*self.doomed, *self.companions]
        return [*self.doomed, *self.segments]


def count_doomed(
    backend: StorageBackend, selection: Selection, buckets: Iterable[str] = ()
) -> DeletePlan:
    """List everything the selection covers: objects, all under folders, or
    whole buckets with, apart, their segment buckets among `buckets`."""
    bucket = selection.location.bucket
    if bucket is None:
        chosen = [row.key for row in selection.rows]
        found = [_everything_in(backend, name) for name in chosen]
        existing = set(buckets)
        companions = [
            _everything_in(backend, segment_container(name))
            for name in chosen
            if segment_container(name) in existing and segment_container(name) not in chosen
        ]
        segments = [_segments_of(backend, d, existing) for d in found]
        return DeletePlan(found, companions, [s for s in segments if s.keys])
    item = Doomed(bucket)
    for row in selection.rows:
        if row.kind is RowKind.OBJECT:
            # a DLO lists as 0 bytes: a HEAD on screen may have told its size
            size = selection.true_sizes.get(row.key, row.size)
            item.add(row.key, backend.head_object(bucket, row.key).size if size is None else size)
        else:
            _add_everything_under(backend, item, row.key)
    own = _segments_of(backend, item, set(buckets))
    return DeletePlan([item], segments=[own] if own.keys else [])


def _segments_of(backend: StorageBackend, item: Doomed, existing: set[str]) -> Doomed:
    """Over S3, the segments in the segment bucket that belong to `item`'s
    keys: named `<key>/...`, as the swift CLI, rclone and allas-tui name them.
    One listing, of the keys' common prefix."""
    segments = Doomed(segment_container(item.bucket))
    if backend.protocol is not Protocol.S3 or segments.bucket not in existing or not item.keys:
        return segments
    keys = set(item.keys)
    for page in backend.iter_pages(segments.bucket, item.common_prefix):
        for obj in page.objects:
            name = obj.key
            if any(name[:i] in keys for i, c in enumerate(name) if c == "/"):
                segments.add(name, obj.size)
    return segments


def _everything_in(backend: StorageBackend, bucket: str) -> Doomed:
    item = Doomed(bucket, whole_bucket=True)
    _add_everything_under(backend, item, "")
    return item


def _add_everything_under(backend: StorageBackend, item: Doomed, prefix: str) -> None:
    for page in backend.iter_pages(item.bucket, prefix):
        for obj in page.objects:
            # a radosgw SLO lists with its manifest's size; the HEAD tells the real one
            known = obj.size_known
            item.add(obj.key, obj.size if known else backend.head_object(item.bucket, obj.key).size)


def _bucket_line(item: Doomed) -> str:
    state = f"{count(len(item.keys), 'object')}, {decimal(item.bytes)}" if item.keys else "empty"
    return f"  bucket {visible(item.bucket)}: {state}"


def confirmation(plan: DeletePlan) -> tuple[Text, list[Choice]]:
    """The text that says exactly what goes, and the choices to offer."""
    doomed = plan.doomed
    if doomed[0].whole_bucket:
        lines = "\n".join(_bucket_line(d) for d in doomed)
        objects = sum(len(d.keys) for d in doomed)
        if objects == 0:
            text = f"These buckets will be deleted:\n{lines}"
            choices = [CONFIRM]
        else:
            text = (
                f"These buckets are not empty:\n{lines}\n\n"
                f"Press a to delete all {objects:,} objects, then the buckets."
            )
            choices = [DELETE_ALL]
        for own in plan.segments:
            text += (
                f"\nWith them go {count(len(own.keys), 'segment')} ({decimal(own.bytes)}) "
                f"of their large objects in {visible(own.bucket)}."
            )
        if plan.companions:
            companion_lines = "\n".join(_bucket_line(c) for c in plan.companions)
            text += (
                "\n\nTheir segment buckets hold the parts of large objects uploaded over "
                f"Swift:\n{companion_lines}\n"
                "Press b to delete them too; otherwise they are kept."
            )
            choices.append(WITH_SEGMENTS)
        return Text(text + "\nThis cannot be undone."), choices
    item = doomed[0]
    if not item.keys:
        return Text("There is nothing to delete: the folders are empty."), []
    segments = "Segments of large objects go with them"
    for own in plan.segments:
        segments += (
            f": {count(len(own.keys), 'segment')} ({decimal(own.bytes)}) in {visible(own.bucket)}"
        )
    text = (
        f"Delete {len(item.keys):,} objects ({decimal(item.bytes)}) "
        f"from bucket {visible(item.bucket)}:\n{name_list(item.keys)}\n\n"
        f"{segments}. This cannot be undone."
    )
    return Text(text), [CONFIRM]
