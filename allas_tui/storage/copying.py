"""Copying one object server-side: its bytes never leave Allas.

One request copies an object up to 5 GiB. A larger one goes in parts (S3
UploadPartCopy), and a Swift large object goes segment by segment into new
segments with a new manifest, so that the copy shares nothing with the
original. Every copy is checked against its source before it counts as done.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from allas_tui.storage.chunk_models import CopyPiece, UploadedPart
from allas_tui.storage.control import TransferControl, run_each_part
from allas_tui.storage.errors import NotSupported, StorageError, VerificationFailed
from allas_tui.storage.hashing import is_plain_md5
from allas_tui.storage.mixing import COPY_ADVICE, copy_caveat
from allas_tui.storage.models import ObjectHead
from allas_tui.storage.object_heads import refine_by_listing
from allas_tui.storage.progress import ProgressCallback, ProgressMeter

if TYPE_CHECKING:
    from allas_tui.storage.backend import StorageBackend


@dataclass(frozen=True, slots=True)
class CopyResult:
    """What a copy stored, and how it was checked."""

    etag: str
    check: str
    """How the copy was matched against its source, for the transfer panel."""
    pieces: int
    """Requests the bytes were copied in (1 for one request)."""


class ObjectCopy:
    """Copies `source_bucket/source_key` to `bucket/key` with `backend`'s chunk
    primitives; pieces run on the `chunks` executor."""

    def __init__(
        self,
        backend: StorageBackend,
        source_bucket: str,
        source_key: str,
        bucket: str,
        key: str,
        *,
        control: TransferControl,
        chunks: Executor,
        progress: ProgressCallback | None = None,
        on_size: Callable[[int], None] | None = None,
        listed_size: int = -1,
    ) -> None:
        self.backend = backend
        self.source_bucket = source_bucket
        self.source_key = source_key
        self.bucket = bucket
        self.key = key
        self.control = control
        self.chunks = chunks
        self.progress = progress
        self.on_size = on_size
        """Told the source's size as its HEAD gives it (a listing may not)."""
        self.listed_size = listed_size
        """The size a listing gave, which tells a DLO over S3 (listed as 0)."""

    def run(self) -> CopyResult:
        """Copy and check; raise StorageError (NotSupported for a protocol that
        cannot copy this kind of object) on failure."""
        backend = self.backend
        if (self.source_bucket, self.source_key) == (self.bucket, self.key):
            raise StorageError(f"{self.key!r} cannot be copied onto itself.")
        source = self.control.retrying(
            lambda: backend.head_object(self.source_bucket, self.source_key)
        )
        source = refine_by_listing(source, self.listed_size)
        caveat = copy_caveat(backend.protocol, source.kind)
        if caveat is not None:
            raise NotSupported(f"{self.source_key!r} was not copied: {caveat}.", hint=COPY_ADVICE)
        if self.on_size is not None and source.size != self.listed_size:
            self.on_size(source.size)
        meter = ProgressMeter(source.size, self.progress)
        pieces = self.control.retrying(
            lambda: backend.chunks.copy_pieces(self.source_bucket, source)
        )
        if pieces is None:
            result = self._whole(source)
            meter.add(source.size)  # one request: it lands all at once
        else:
            result = self._in_parts(source, pieces, meter)
        meter.finish()
        return result

    def _whole(self, source: ObjectHead) -> CopyResult:
        def request() -> str:
            self.control.check()
            with self.control.in_flight:
                return self.backend.chunks.copy_whole(
                    self.source_bucket, source, self.bucket, self.key
                )

        etag = self.control.retrying(request)
        if etag and etag == source.etag:
            return CopyResult(etag, "same ETag as the source", 1)
        # A multipart source copied in one request gets a plain MD5 of its own
        copy = self.control.retrying(lambda: self.backend.head_object(self.bucket, self.key))
        if copy.size != source.size or (is_plain_md5(source.etag) and copy.etag != source.etag):
            self.backend.delete_object(self.bucket, self.key)
            raise VerificationFailed(
                f"The copy of {self.source_key!r} came out different from its source "
                f"({copy.size:,} bytes, ETag {copy.etag}); it was deleted again."
            )
        return CopyResult(copy.etag or "", "same size; the copy has an ETag of its own", 1)

    def _in_parts(
        self, source: ObjectHead, pieces: list[CopyPiece], meter: ProgressMeter
    ) -> CopyResult:
        chunks = self.backend.chunks
        part_size = max(p.length for p in pieces)
        upload_id = self.control.retrying(
            lambda: chunks.start_copy(source, self.bucket, self.key, part_size)
        )
        parts: list[UploadedPart | None] = [None] * len(pieces)
        try:
            self._copy_pieces(upload_id, pieces, parts, meter)
            done = [p for p in parts if p is not None]
            etag = self.control.retrying(
                lambda: chunks.complete_multipart(
                    self.bucket, self.key, upload_id, done, source.content_type, source.metadata
                )
            )
        except BaseException:
            chunks.abort_multipart(self.bucket, self.key, upload_id)
            raise
        expected = chunks.expected_multipart_etag(done)
        if etag != expected:
            self.backend.delete_object(self.bucket, self.key)
            raise VerificationFailed(
                f"Allas stored the copy {self.key!r} with ETag {etag}, but its parts add up "
                f"to {expected}; it was deleted again."
            )
        return CopyResult(etag, f"{chunks.multipart_check_name}, {len(done)} parts", len(done))

    def _copy_pieces(
        self,
        upload_id: str,
        pieces: list[CopyPiece],
        parts: list[UploadedPart | None],
        meter: ProgressMeter,
    ) -> None:
        def copy(index: int) -> None:
            piece = pieces[index]

            def request() -> str:
                self.control.check()
                with self.control.in_flight:
                    etag = self.backend.chunks.copy_part(
                        piece, self.bucket, self.key, upload_id, index + 1
                    )
                if piece.etag is not None and etag != piece.etag:
                    raise StorageError(
                        f"Piece {index + 1} of the copy of {self.source_key!r} came out "
                        f"different (ETag {etag}, not {piece.etag}).",
                        transient=True,
                    )
                return etag

            parts[index] = UploadedPart(index + 1, piece.length, self.control.retrying(request))
            # progress by piece, as each lands: the server moves the bytes
            meter.add(piece.length)

        run_each_part(self.chunks, copy, range(len(pieces)))
