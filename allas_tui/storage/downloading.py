"""Downloading one object: ranges fetched in parallel into a partial file in
the target folder, checked against what the protocol offers, then renamed.
A later run continues from the ranges already written."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from allas_tui.storage.chunk_models import CheckKind, DownloadLayout, even_ranges
from allas_tui.storage.control import TransferControl, wait_all
from allas_tui.storage.errors import (
    LocalFileError,
    NetworkError,
    VerificationFailed,
)
from allas_tui.storage.hashing import InOrderHasher, md5_of_range, multipart_etag
from allas_tui.storage.local_files import (
    local_errors,
    move_into_place,
    new_part_file,
)
from allas_tui.storage.models import ObjectHead
from allas_tui.storage.object_heads import refine_by_listing
from allas_tui.storage.progress import ProgressCallback, ProgressMeter

if TYPE_CHECKING:
    from allas_tui.storage.backend import StorageBackend


class _RangeSink:
    """Takes the bytes of one range as they arrive: writes them at their place
    in the partial file, hashes them, and counts them for progress."""

    def __init__(self, fd: int, path: Path, offset: int, meter: ProgressMeter) -> None:
        self.fd = fd
        self.path = path
        self.offset = offset
        self.meter = meter
        self.received = 0
        self.digest = hashlib.md5(usedforsecurity=False)

    def __call__(self, data: bytes) -> None:
        with local_errors(self.path):
            os.pwrite(self.fd, data, self.offset + self.received)
        self.digest.update(data)
        self.received += len(data)
        self.meter.add(len(data))


class _TooBigForOneGet(Exception):
    """The object the listing called small is not: fetch it in ranges."""

    def __init__(self, head: ObjectHead) -> None:
        super().__init__(head.key)
        self.head = head


T = TypeVar("T")


@dataclass
class PartialDownload:
    """A download's partial file and the ranges already in it, for a resume."""

    part_path: Path
    etag: str | None
    """The object's ETag when the download began; another one means start over."""
    done: set[int] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class DownloadResult:
    """How the download was checked, and what a resume spared."""

    check: str
    """The checksum used, or why there was none."""
    reused_bytes: int = 0


class ObjectDownload:
    """Downloads `bucket/key` to `dest` through `backend`'s range reads.

    `resume` is an earlier run's partial file. `on_started` hears the partial
    file in use, and `on_range_done` each range once it is written, so both
    can be journalled.
    """

    def __init__(
        self,
        backend: StorageBackend,
        bucket: str,
        key: str,
        dest: Path,
        *,
        control: TransferControl,
        chunks: Executor,
        overwrite: bool = False,
        progress: ProgressCallback | None = None,
        resume: PartialDownload | None = None,
        on_started: Callable[[PartialDownload], None] | None = None,
        on_range_done: Callable[[int], None] | None = None,
        size_hint: int = -1,
        on_size: Callable[[int], None] | None = None,
    ) -> None:
        self.backend = backend
        self.bucket = bucket
        self.key = key
        self.dest = dest
        self.control = control
        self.chunks = chunks
        self.overwrite = overwrite
        self.progress = progress
        self.resume = resume
        self.on_started = on_started
        self.on_range_done = on_range_done or (lambda index: None)
        self.size_hint = size_hint
        """The size the listing gave, or -1: a small object needs no HEAD first."""
        self.on_size = on_size
        """Hears the real size when it is not the listed one (a DLO lists as 0)."""

    def run(self) -> DownloadResult:
        """Download, verify and rename into place; raise StorageError on failure."""
        if self.dest.exists() and not self.overwrite:
            raise LocalFileError(f"{self.dest} already exists; it was not replaced.")
        c = self.control
        head: ObjectHead | None = None
        if self.resume is None and 0 <= self.size_hint <= self.backend.settings.chunk_threshold:
            try:
                return self._run_whole()
            except _TooBigForOneGet as big:
                head = big.head  # a DLO lists as 0 bytes: fetch it in ranges after all
        if head is None:
            head = c.retrying(lambda: self.backend.head_object(self.bucket, self.key))
        head = refine_by_listing(head, self.size_hint)
        self._tell_size(head.size)
        layout = c.retrying(
            lambda: self.backend.chunks.download_layout(self.bucket, self.key, head)
        )
        partial = self._partial(layout)
        meter = ProgressMeter(layout.size, self.progress)
        match = self.backend.chunks.etag_to_match(head)

        def write(fd: int) -> int:
            with local_errors(partial.part_path):
                os.ftruncate(fd, layout.size)
            return self._fetch(fd, layout, match, partial, meter)

        reused = self._write_in_place(partial, write)
        meter.finish()
        check = layout.check.value if layout.check is not CheckKind.NONE else ""
        return DownloadResult(check or f"not checked: {layout.why_unchecked}", reused)

    def _write_in_place(self, partial: PartialDownload, write: Callable[[int], T]) -> T:
        """Run `write` on the open partial file, then fsync it and rename it to
        the final name. On failure the partial file goes, unless the transfer
        is only suspended (a later run goes on from it)."""
        if self.on_started is not None:
            self.on_started(partial)
        try:
            with local_errors(partial.part_path):
                fd = os.open(partial.part_path, os.O_RDWR)
            try:
                result = write(fd)
                with local_errors(partial.part_path):
                    os.fsync(fd)
            finally:
                os.close(fd)
            with local_errors(self.dest):
                move_into_place(partial.part_path, self.dest, self.overwrite)
        except BaseException:
            if not self.control.suspended:
                partial.part_path.unlink(missing_ok=True)
            raise
        return result

    def _read_rest(self, sink: _RangeSink, length: int, etag: str | None) -> None:
        """GET what `sink`'s range still lacks (all of it the first time, the
        rest after a cut), and fail as a network fault if it comes short."""
        self.control.check()
        with self.control.in_flight:
            self.backend.chunks.read_range(
                self.bucket,
                self.key,
                sink.offset + sink.received,
                length - sink.received,
                etag,
                sink,
                self.control.stop,
            )
        self._check_complete(sink, length)

    def _check_complete(self, sink: _RangeSink, length: int) -> None:
        if sink.received != length:  # cut short: never record the range as done
            self.control.check()
            raise NetworkError(
                f"The download of {self.key!r} broke off after {sink.offset + sink.received} bytes."
            )

    def _run_whole(self) -> DownloadResult:
        """A small object in one GET, its head read from the response: one
        request instead of a HEAD and a GET, which is most of what a small file
        costs. A retry asks only for the bytes still missing, as a range."""
        c = self.control
        with local_errors(self.dest.parent):
            partial = PartialDownload(new_part_file(self.dest), None)
        meter = ProgressMeter(self.size_hint, self.progress)
        heads: list[ObjectHead] = []

        def on_head(head: ObjectHead) -> None:
            if head.size > self.backend.settings.chunk_threshold:
                raise _TooBigForOneGet(head)
            heads.append(refine_by_listing(head, self.size_hint))
            meter.resize(head.size)
            self._tell_size(head.size)

        def write(fd: int) -> str:
            sink = _RangeSink(fd, partial.part_path, 0, meter)

            def get() -> None:
                if heads:  # a retry: only the missing bytes, as a range
                    match = self.backend.chunks.etag_to_match(heads[0])
                    self._read_rest(sink, heads[0].size, match)
                    return
                c.check()
                self.backend.chunks.read_object(self.bucket, self.key, on_head, sink, c.stop)
                self._check_complete(sink, heads[0].size if heads else -1)

            c.retrying(get)
            return self._check_whole(fd, heads[0], sink.digest.hexdigest())

        check = self._write_in_place(partial, write)
        meter.finish()
        return DownloadResult(check)

    def _tell_size(self, size: int) -> None:
        if self.on_size is not None and size != self.size_hint:
            self.on_size(size)

    def _check_whole(self, fd: int, head: ObjectHead, md5_hex: str) -> str:
        """Check a file fetched whole; what was checked, or why nothing was."""
        layout = self.control.retrying(
            lambda: self.backend.chunks.download_layout(self.bucket, self.key, head)
        )
        if layout.check is CheckKind.NONE:
            return f"not checked: {layout.why_unchecked}"
        if layout.check is CheckKind.WHOLE_MD5:
            if md5_hex != layout.etag:
                raise self._mismatch(layout)
        else:
            with local_errors(self.dest):
                digests: list[bytes | None] = [md5_of_range(fd, o, n) for o, n in layout.ranges]
            self._verify(fd, layout, digests, None)
        return layout.check.value

    def _partial(self, layout: DownloadLayout) -> PartialDownload:
        old = self.resume
        if old is not None and old.part_path.exists():
            if old.etag == layout.etag and old.part_path.parent == self.dest.parent:
                return old
            old.part_path.unlink(missing_ok=True)  # the object changed: start over
        with local_errors(self.dest.parent):
            return PartialDownload(new_part_file(self.dest), layout.etag)

    def _fetch(
        self,
        fd: int,
        layout: DownloadLayout,
        match: str | None,
        partial: PartialDownload,
        meter: ProgressMeter,
    ) -> int:
        ranges = layout.ranges
        digests: list[bytes | None] = [None] * len(ranges)
        whole = InOrderHasher(fd, ranges) if layout.check is CheckKind.WHOLE_MD5 else None
        reused = 0
        for index in sorted(partial.done):
            if index >= len(ranges):
                continue
            offset, length = ranges[index]
            reused += length
            meter.add(length)
            if layout.check in (CheckKind.PARTS_MD5, CheckKind.SEGMENT_MD5S):
                with local_errors(partial.part_path):
                    digests[index] = md5_of_range(fd, offset, length)
            if whole is not None:
                whole.range_done(index)

        def fetch(index: int) -> None:
            offset, length = ranges[index]
            sink = _RangeSink(fd, partial.part_path, offset, meter)
            self.control.retrying(lambda: self._read_rest(sink, length, match))
            digests[index] = sink.digest.digest()
            if whole is not None:
                with local_errors(partial.part_path):
                    whole.range_done(index)
            partial.done.add(index)
            self.on_range_done(index)

        todo = [i for i in range(len(ranges)) if i not in partial.done]
        if len(todo) == 1:
            fetch(todo[0])  # one range: no need to hop to another thread
        else:
            wait_all([self.chunks.submit(fetch, i) for i in todo])
        self._verify(fd, layout, digests, whole)
        return reused

    def _verify(
        self,
        fd: int,
        layout: DownloadLayout,
        digests: list[bytes | None],
        whole: InOrderHasher | None,
    ) -> None:
        got = [d for d in digests if d is not None]
        expected: str | None
        if whole is not None:
            expected, actual = layout.etag, whole.hexdigest()
        elif layout.check is CheckKind.PARTS_MD5:
            expected, actual = layout.etag, multipart_etag(got)
        elif layout.check is CheckKind.SEGMENT_MD5S:
            expected, actual = "".join(layout.range_md5s), "".join(d.hex() for d in got)
        else:
            return
        if expected != actual and layout.check is CheckKind.PARTS_MD5:
            # the ETag tells how many parts, not how big: try the other sizes that fit
            for part in layout.other_part_sizes:
                with local_errors(self.dest):
                    again = [md5_of_range(fd, o, n) for o, n in even_ranges(layout.size, part)]
                if multipart_etag(again) == expected:
                    return
        if expected != actual:
            raise self._mismatch(layout)

    def _mismatch(self, layout: DownloadLayout) -> VerificationFailed:
        return VerificationFailed(
            f"The download of {self.key!r} does not match its checksum "
            f"({layout.check.value}); the partial file was deleted."
        )
