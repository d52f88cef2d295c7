"""Uploading one file: a single verified PUT, or parts sent in parallel that
are checked one by one and as a whole, and that a later run can resume."""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from allas_tui.storage.chunk_models import UploadedPart, even_ranges
from allas_tui.storage.control import TransferControl, run_each_part
from allas_tui.storage.errors import (
    LocalFileChanged,
    NotFound,
    StorageError,
    VerificationFailed,
)
from allas_tui.storage.hashing import md5_of_range
from allas_tui.storage.local_files import local_errors, readable_size
from allas_tui.storage.progress import FileRangeReader, ProgressCallback, ProgressMeter

if TYPE_CHECKING:
    from allas_tui.storage.backend import StorageBackend


@dataclass(frozen=True, slots=True)
class UploadResult:
    """What an upload stored, how it was checked, and what a resume spared."""

    etag: str
    check: str
    """Which checksum the stored object was verified against."""
    reused_bytes: int = 0
    """Bytes of parts a previous run had stored, not sent again."""


class FileUpload:
    """Uploads one file to `bucket/key` with `backend`'s chunk primitives.

    Large files go in parts on the `chunks` executor. `resume_id` names an
    unfinished multipart upload (or segment prefix) from an earlier run;
    `on_started` hears the id of the one in use, so it can be journalled.
    """

    def __init__(
        self,
        backend: StorageBackend,
        path: Path,
        bucket: str,
        key: str,
        *,
        control: TransferControl,
        chunks: Executor,
        progress: ProgressCallback | None = None,
        resume_id: str | None = None,
        on_started: Callable[[str], None] | None = None,
    ) -> None:
        self.backend = backend
        self.path = path
        self.bucket = bucket
        self.key = key
        self.control = control
        self.chunks = chunks
        self.progress = progress
        self.resume_id = resume_id
        self.on_started = on_started
        self.content_type = mimetypes.guess_type(path.name)[0]
        self._read_from = (0, 0, 0)
        """The file's size and times when it was opened (see `_version`)."""

    def run(self) -> UploadResult:
        """Upload, verify and return the result; raise StorageError on failure."""
        size = readable_size(self.path)
        meter = ProgressMeter(size, self.progress)
        with local_errors(self.path), self.path.open("rb") as file:
            self._read_from = _version(file)
            if self.backend.settings.must_chunk(size):
                result = self._in_parts(file, size, meter)
            else:
                result = self._whole(file, size, meter)
        meter.finish()
        return result

    # -- one request ---------------------------------------------------------
    def _whole(self, file: BinaryIO, size: int, meter: ProgressMeter) -> UploadResult:
        # The MD5 goes with the request, so Allas refuses damaged bytes and
        # nothing wrong is ever stored under the key.
        md5 = md5_of_range(file.fileno(), 0, size, self.control.stop).hex()
        # the MD5 is of one version of the file if nothing wrote to it meanwhile;
        # the server then refuses any body that differs from it
        self._check_unchanged(file, size)
        reader = FileRangeReader(file, 0, size, meter, self.control.stop)

        def put() -> str:
            self.control.check()
            reader.seek(0)
            with self.control.in_flight:
                return self.backend.chunks.put_whole(
                    self.bucket, self.key, reader, size, md5, self.content_type
                )

        try:
            etag = self.control.retrying(put)
        except VerificationFailed:
            self._check_unchanged(file, size)  # say so, if that is why
            raise
        if etag != md5:
            self.backend.delete_object(self.bucket, self.key)
            raise VerificationFailed(
                f"Allas stored {self.key!r} with ETag {etag}, not the file's MD5 {md5}; "
                "it was deleted again."
            )
        return UploadResult(etag, "MD5")

    # -- parts ---------------------------------------------------------------
    def _in_parts(self, file: BinaryIO, size: int, meter: ProgressMeter) -> UploadResult:
        backend = self.backend
        part_size = backend.settings.chunk_size_for(size, backend.chunks.max_parts)
        ranges = even_ranges(size, part_size)
        upload_id, stored = self._start(size, part_size)
        parts: list[UploadedPart | None] = [None] * len(ranges)
        reused = 0
        for index, (offset, length) in enumerate(ranges):
            old = stored.get(index + 1)
            if old is not None and old.size == length:
                self.control.check()
                if md5_of_range(file.fileno(), offset, length, self.control.stop).hex() == old.etag:
                    parts[index] = old
                    reused += length
                    meter.add(length)
        try:
            self._send_parts(file, upload_id, ranges, parts, meter)
            # each part is checked alone; parts read before and after a write
            # would pass and add up to a file that never was
            self._check_unchanged(file, size)
            done = [p for p in parts if p is not None]
            etag = self.control.retrying(
                lambda: backend.chunks.complete_multipart(
                    self.bucket, self.key, upload_id, done, self.content_type
                )
            )
        except BaseException:
            if not self.control.suspended:
                backend.chunks.abort_multipart(self.bucket, self.key, upload_id)
            raise
        expected = backend.chunks.expected_multipart_etag(done)
        if etag != expected:
            backend.delete_object(self.bucket, self.key)
            raise VerificationFailed(
                f"Allas stored {self.key!r} with ETag {etag}, but its parts add up to "
                f"{expected}; it was deleted again."
            )
        return UploadResult(etag, backend.chunks.multipart_check_name, reused)

    def _check_unchanged(self, file: BinaryIO, size: int) -> None:
        """Raise LocalFileChanged if the file was written to since it was opened."""
        with local_errors(self.path):
            now = _version(file)
        if now != self._read_from or now[0] != size:
            raise LocalFileChanged(
                f"{self.path} changed while it was being uploaded, so nothing was stored "
                f"under {self.key!r}."
            )

    def _start(self, size: int, part_size: int) -> tuple[str, dict[int, UploadedPart]]:
        backend = self.backend
        if self.resume_id is not None:
            try:
                stored = backend.chunks.list_parts(self.bucket, self.key, self.resume_id)
            except NotFound:
                pass  # the server forgot it (or it was aborted): start again
            else:
                if self.on_started is not None:
                    self.on_started(self.resume_id)
                return self.resume_id, stored
        upload_id = self.control.retrying(
            lambda: backend.chunks.start_multipart(
                self.bucket, self.key, self.path, size, part_size
            )
        )
        if self.on_started is not None:
            self.on_started(upload_id)
        return upload_id, {}

    def _send_parts(
        self,
        file: BinaryIO,
        upload_id: str,
        ranges: list[tuple[int, int]],
        parts: list[UploadedPart | None],
        meter: ProgressMeter,
    ) -> None:
        def send(index: int) -> None:
            offset, length = ranges[index]
            reader = FileRangeReader(file, offset, length, meter, self.control.stop)

            def put() -> str:
                self.control.check()
                reader.seek(0)
                with self.control.in_flight:
                    etag = self.backend.chunks.put_part(
                        self.bucket, self.key, upload_id, index + 1, reader, length
                    )
                if not reader.complete or etag != reader.md5_hex:
                    raise StorageError(
                        f"Part {index + 1} of {self.key!r} arrived damaged (ETag {etag}).",
                        transient=True,
                    )
                return etag

            parts[index] = UploadedPart(index + 1, length, self.control.retrying(put))

        todo = [i for i, p in enumerate(parts) if p is None]
        run_each_part(self.chunks, send, todo)


def _version(file: BinaryIO) -> tuple[int, int, int]:
    """Size, modification and change time of the open file: any write moves one."""
    stat = os.fstat(file.fileno())
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns
