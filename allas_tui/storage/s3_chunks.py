"""S3's chunk primitives: multipart uploads by hand (so a resume can find its
parts with ListParts and every part is checked), and ranged GETs."""

from __future__ import annotations

import base64
import contextlib
import mimetypes
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

from botocore.exceptions import ClientError, ResponseStreamingError
from urllib3.exceptions import HTTPError as Urllib3Error

from allas_tui.storage import errors
from allas_tui.storage.chunk_models import (
    CheckKind,
    CopyPiece,
    DownloadLayout,
    UploadedPart,
    even_ranges,
    multipart_count,
    part_size_candidates,
)
from allas_tui.storage.chunk_primitives import ChunkPrimitives, stream_into
from allas_tui.storage.hashing import is_plain_md5, multipart_etag
from allas_tui.storage.mixing import download_caveat
from allas_tui.storage.models import ObjectHead, Protocol
from allas_tui.storage.object_heads import bare_etag, s3_head
from allas_tui.storage.progress import READ_BLOCK, FileRangeReader
from allas_tui.storage.s3_errors import s3_errors
from allas_tui.storage.settings import S3_MAX_PARTS, TransferSettings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import CompletedPartTypeDef


class S3Chunks(ChunkPrimitives):
    """S3's chunk primitives, over a client whose own retries are off."""

    max_parts = S3_MAX_PARTS
    multipart_check_name = "md5-of-parts"

    def __init__(self, client: S3Client, endpoint: str, settings: TransferSettings) -> None:
        self.client = client
        self.endpoint = endpoint
        self.settings = settings

    def _errors(
        self, action: str, bucket: str, key: str
    ) -> contextlib.AbstractContextManager[None]:
        return s3_errors(action, self.endpoint, bucket, key)

    def put_whole(
        self,
        bucket: str,
        key: str,
        body: FileRangeReader,
        size: int,
        md5_hex: str,
        content_type: str | None,
    ) -> str:
        extra: dict[str, Any] = {"ContentType": content_type} if content_type else {}
        with self._errors("upload to", bucket, key):
            response = self.client.put_object(
                Bucket=bucket,
                Key=key,
                Body=cast("IO[Any]", body),  # file-like enough for botocore
                ContentLength=size,
                ContentMD5=base64.b64encode(bytes.fromhex(md5_hex)).decode(),
                **extra,
            )
        return bare_etag(response.get("ETag"))

    def start_multipart(self, bucket: str, key: str, path: Path, size: int, part_size: int) -> str:
        content_type = mimetypes.guess_type(path.name)[0]
        return self._create_upload("start the upload of", bucket, key, content_type)

    def _create_upload(
        self,
        action: str,
        bucket: str,
        key: str,
        content_type: str | None,
        metadata: Mapping[str, str] | None = None,
    ) -> str:
        """CreateMultipartUpload with the object's content type and metadata; its UploadId."""
        extra: dict[str, Any] = {"ContentType": content_type} if content_type else {}
        if metadata:
            extra["Metadata"] = dict(metadata)
        with self._errors(action, bucket, key):
            return self.client.create_multipart_upload(Bucket=bucket, Key=key, **extra)["UploadId"]

    def list_parts(self, bucket: str, key: str, upload_id: str) -> dict[int, UploadedPart]:
        parts: dict[int, UploadedPart] = {}
        marker = 0
        with self._errors("list the stored parts of", bucket, key):
            while True:
                page = self.client.list_parts(
                    Bucket=bucket, Key=key, UploadId=upload_id, PartNumberMarker=marker
                )
                for p in page.get("Parts", []):
                    number = int(p["PartNumber"])
                    parts[number] = UploadedPart(number, int(p["Size"]), bare_etag(p["ETag"]))
                if not page.get("IsTruncated"):
                    return parts
                marker = int(page["NextPartNumberMarker"])

    def put_part(
        self, bucket: str, key: str, upload_id: str, number: int, body: FileRangeReader, size: int
    ) -> str:
        with self._errors(f"upload part {number} of", bucket, key):
            response = self.client.upload_part(
                Bucket=bucket,
                Key=key,
                UploadId=upload_id,
                PartNumber=number,
                Body=cast("IO[Any]", body),  # file-like enough for botocore
                ContentLength=size,
            )
        return bare_etag(response.get("ETag"))

    def complete_multipart(
        self,
        bucket: str,
        key: str,
        upload_id: str,
        parts: list[UploadedPart],
        content_type: str | None,
        metadata: Mapping[str, str] | None = None,
    ) -> str:
        listed: list[CompletedPartTypeDef] = [
            {"PartNumber": p.number, "ETag": f'"{p.etag}"'} for p in parts
        ]
        with self._errors("finish the upload of", bucket, key):
            response = self.client.complete_multipart_upload(
                Bucket=bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": listed}
            )
            etag = bare_etag(response.get("ETag"))
            if not etag:  # radosgw may leave it out of the response
                etag = bare_etag(self.client.head_object(Bucket=bucket, Key=key).get("ETag"))
        return etag

    def expected_multipart_etag(self, parts: list[UploadedPart]) -> str:
        return multipart_etag(bytes.fromhex(p.etag) for p in parts)

    def abort_multipart(self, bucket: str, key: str, upload_id: str) -> None:
        with (
            contextlib.suppress(ClientError, errors.StorageError),
            self._errors("abort", bucket, key),
        ):
            self.client.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)

    # -- server-side copies -----------------------------------------------------
    def copy_whole(self, source_bucket: str, source: ObjectHead, bucket: str, key: str) -> str:
        with self._errors("copy to", bucket, key):
            response = self.client.copy_object(
                Bucket=bucket,
                Key=key,
                CopySource={"Bucket": source_bucket, "Key": source.key},
                MetadataDirective="COPY",
                **_if_match(source.etag),
            )
        return bare_etag(response.get("CopyObjectResult", {}).get("ETag"))

    def copy_pieces(self, bucket: str, head: ObjectHead) -> list[CopyPiece] | None:
        if not self.settings.must_copy_in_parts(head.size):
            return None
        part = self.settings.chunk_size_for(head.size, S3_MAX_PARTS)
        return [
            CopyPiece(bucket, head.key, offset, length, None, head.etag)
            for offset, length in even_ranges(head.size, part)
        ]

    def start_copy(self, source: ObjectHead, bucket: str, key: str, part_size: int) -> str:
        return self._create_upload(
            "start the copy to", bucket, key, source.content_type, source.metadata
        )

    def copy_part(
        self, piece: CopyPiece, bucket: str, key: str, upload_id: str, number: int
    ) -> str:
        window = f"bytes={piece.offset}-{piece.offset + piece.length - 1}"
        with self._errors(f"copy part {number} to", bucket, key):
            response = self.client.upload_part_copy(
                Bucket=bucket,
                Key=key,
                UploadId=upload_id,
                PartNumber=number,
                CopySource={"Bucket": piece.bucket, "Key": piece.key},
                CopySourceRange=window,
                **_if_match(piece.if_match),
            )
        return bare_etag(response.get("CopyPartResult", {}).get("ETag"))

    # -- downloads ------------------------------------------------------------
    def etag_to_match(self, head: ObjectHead) -> str | None:
        # radosgw answers If-Match on a Swift manifest with 412, whatever the ETag
        return None if head.kind.is_manifest else head.etag

    def download_layout(self, bucket: str, key: str, head: ObjectHead) -> DownloadLayout:
        size, etag = head.size, head.etag
        chunk = size if size <= self.settings.chunk_threshold else self.settings.chunk_size
        caveat = download_caveat(Protocol.S3, head.kind)
        if caveat is not None:
            ranges = even_ranges(size, chunk)
            return DownloadLayout(size, etag, ranges, CheckKind.NONE, why_unchecked=caveat)
        if is_plain_md5(etag):
            return DownloadLayout(size, etag, even_ranges(size, chunk), CheckKind.WHOLE_MD5)
        count = multipart_count(etag)
        ours = self.settings.chunk_size_for(size, S3_MAX_PARTS)
        sizes = part_size_candidates(size, count, [self._first_part_size(bucket, key, size), ours])
        if sizes:
            ranges = even_ranges(size, sizes[0])
            return DownloadLayout(
                size, etag, ranges, CheckKind.PARTS_MD5, other_part_sizes=sizes[1:]
            )
        return DownloadLayout(
            size,
            etag,
            even_ranges(size, chunk),
            CheckKind.NONE,
            why_unchecked="the ETag is neither an MD5 nor an md5-of-parts that fits the size",
        )

    def _first_part_size(self, bucket: str, key: str, size: int) -> int:
        """Part 1's size where the server tells it (AWS does; radosgw ignores
        partNumber and gives the whole size, which is then no answer)."""
        try:
            with self._errors("read", bucket, key):
                head = self.client.head_object(Bucket=bucket, Key=key, PartNumber=1)
        except errors.StorageError:
            return 0
        first = int(head.get("ContentLength", 0))
        return first if first < size else 0

    def read_object(
        self,
        bucket: str,
        key: str,
        on_head: Callable[[ObjectHead], None],
        sink: Callable[[bytes], None],
        stop: threading.Event,
    ) -> None:
        self._stream_get(bucket, key, sink, stop, lambda r: on_head(s3_head(key, r)))

    def read_range(
        self,
        bucket: str,
        key: str,
        offset: int,
        length: int,
        etag: str | None,
        sink: Callable[[bytes], None],
        stop: threading.Event,
    ) -> None:
        if length <= 0:
            return
        extra: dict[str, Any] = {"IfMatch": f'"{etag}"'} if etag else {}
        window = f"bytes={offset}-{offset + length - 1}"
        self._stream_get(bucket, key, sink, stop, None, Range=window, **extra)

    def _stream_get(
        self,
        bucket: str,
        key: str,
        sink: Callable[[bytes], None],
        stop: threading.Event,
        on_response: Callable[[Any], None] | None,
        **params: Any,
    ) -> None:
        """GET `key` with `params`, hand the response to `on_response` before any
        byte, then stream the body into `sink` until it ends or `stop` is set."""
        with self._errors("download", bucket, key), _stream_errors(self.endpoint):
            response = self.client.get_object(Bucket=bucket, Key=key, **params)
            body = response["Body"]
            try:
                if on_response is not None:
                    on_response(response)
                stream_into(body.iter_chunks(READ_BLOCK), sink, stop)
            finally:
                body.close()


def _if_match(etag: str | None) -> dict[str, Any]:
    """CopySourceIfMatch for the ETag the source was read with, so a copy
    never mixes in a version that replaced it meanwhile."""
    return {"CopySourceIfMatch": f'"{etag}"'} if etag else {}


@contextlib.contextmanager
def _stream_errors(endpoint: str) -> Iterator[None]:
    """A connection that breaks while a body streams is a network fault, to retry."""
    try:
        yield
    except (ResponseStreamingError, Urllib3Error, ConnectionError, TimeoutError) as exc:
        raise errors.NetworkError(f"The connection to {endpoint} broke: {exc}") from exc
