"""The built-in demo store is a real S3 endpoint, seeded through the S3 backend."""

from __future__ import annotations

from allas_tui.demo_store import SWIFT_SLO, DemoStore, seed_demo
from allas_tui.storage.models import ObjectKind
from allas_tui.storage.profiles import open_backend


def test_demo_store_has_folders_and_real_multipart_objects() -> None:
    store = DemoStore()
    profile = store.start()
    try:
        seed_demo(profile)
        backend = open_backend(profile)
        assert [b.name for b in backend.list_buckets()] == [
            "2001234-puhti-SCRATCH",
            "climate-era5",
            "empty-bucket",
            "genomics-runs",
            "genomics-runs_segments",
        ]
        top = backend.list_page("genomics-runs", delimiter="/")
        assert top.folders == ["reference/", "run01/", "run02/", "run03/"]
        for key in ("reference/GRCh38.fa.gz", "run01/aligned.bam"):
            head = backend.head_object("genomics-runs", key)
            assert head.kind is ObjectKind.MULTIPART
            assert head.etag is not None and head.etag.endswith("-3")
        # a Swift SLO as OpenStack Swift's s3api shows one, with its segments
        slo = backend.head_object(*SWIFT_SLO)
        assert slo.kind is ObjectKind.SLO and slo.size == 6 * 1024 * 1024
        segments = [
            o for page in backend.iter_pages("genomics-runs_segments") for o in page.objects
        ]
        assert sum(o.size for o in segments) == slo.size
    finally:
        store.stop()
