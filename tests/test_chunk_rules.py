"""The rules that decide how a file is cut: when to chunk, the chunk size,
and the ranges a download is fetched in. Pure arithmetic, no server."""

from __future__ import annotations

from allas_tui.storage.chunk_models import even_ranges, multipart_count, part_size_candidates
from allas_tui.storage.settings import MAX_SINGLE_OBJECT, GiB, MiB, TransferSettings


def test_anything_over_five_gib_is_always_chunked() -> None:
    """Even a user who sets the threshold above Allas's 5 GiB single-object limit."""
    settings = TransferSettings(chunk_threshold=100 * GiB)
    assert 5 * GiB == MAX_SINGLE_OBJECT
    assert not settings.must_chunk(5 * GiB)
    assert settings.must_chunk(5 * GiB + 1)
    assert TransferSettings().must_chunk(64 * MiB + 1)
    assert not TransferSettings().must_chunk(64 * MiB)


def test_chunk_size_grows_to_fit_the_part_limit_and_never_passes_five_gib() -> None:
    settings = TransferSettings(chunk_size=8 * MiB)
    assert settings.chunk_size_for(40 * MiB, 10_000) == 8 * MiB
    # 1 TB in at most 10,000 S3 parts needs parts of at least 100 MB
    assert settings.chunk_size_for(10**12, 10_000) == 10**8
    assert settings.chunk_size_for(10**12, 1_000) == 10**9
    assert settings.chunk_size_for(10**15, 1_000) == MAX_SINGLE_OBJECT


def test_even_ranges_cover_the_object_once() -> None:
    for size, chunk in [(0, 8), (1, 8), (16, 8), (17, 8), (100 * MiB + 3, 8 * MiB)]:
        ranges = even_ranges(size, chunk)
        assert sum(length for _, length in ranges) == size
        assert all(o == sum(n for _, n in ranges[:i]) for i, (o, _) in enumerate(ranges))


def test_part_sizes_are_guessed_from_an_md5_of_parts_etag() -> None:
    assert multipart_count("0123456789abcdef0123456789abcdef-3") == 3
    assert multipart_count("0123456789abcdef0123456789abcdef") == 0  # a plain MD5
    candidates = part_size_candidates(20 * MiB, 3, [8 * MiB])
    assert candidates[0] == 8 * MiB
    assert all(-(-20 * MiB // size) == 3 for size in candidates)
