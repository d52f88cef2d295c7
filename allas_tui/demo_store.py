"""The built-in demo store: a real S3 endpoint on 127.0.0.1 (moto's threaded
server), seeded with sample buckets, pseudo-folders and multipart objects, and
browsed through the same S3 backend as Allas."""

from __future__ import annotations

import hashlib
import logging
import os
import random
import tempfile
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.profiles import ConnectionProfile, open_backend
from allas_tui.storage.s3_login import S3Login
from allas_tui.storage.settings import MiB, TransferSettings

DEMO_PROFILE_NAME = "demo"
"""What the demo profile is called in the header and for --profile."""
SEED_SETTINGS = TransferSettings(chunk_threshold=5 * MiB, chunk_size=5 * MiB)
"""Small parts (S3's minimum) so the demo's large objects are real multipart uploads."""


class DemoStore:
    """Starts and stops the local demo S3 server."""

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        # werkzeug would print a line per request over the terminal UI
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)

    def start(self) -> ConnectionProfile:
        """Start the server; the profile that reaches it."""
        self._server.start()
        host, port = self._server.get_host_and_port()
        login = S3Login(
            access_key="demo",
            secret_key="demo",  # noqa: S106 - the demo server takes any key
            endpoint_url=f"http://{host}:{port}",
            project="demo",
        )
        return ConnectionProfile(name=DEMO_PROFILE_NAME, source="built-in demo store", s3=login)

    def stop(self) -> None:
        """Stop the server; its data is gone. moto keeps its buckets in this
        process, not in the server, so they are reset first: the next demo
        store in the same process starts from the seed again."""
        host, port = self._server.get_host_and_port()
        reset = urllib.request.Request(f"http://{host}:{port}/moto-api/reset", method="POST")
        with urllib.request.urlopen(reset, timeout=10):  # noqa: S310 - our own local server
            pass
        self._server.stop()


def seed_demo(profile: ConnectionProfile) -> None:
    """Fill the demo store with buckets that look like a research project's."""
    backend = open_backend(profile, SEED_SETTINGS)
    rng = random.Random(2001234)  # noqa: S311 - sample data, not secrets
    backend.create_bucket("2001234-puhti-SCRATCH")
    backend.create_bucket("climate-era5")
    backend.create_bucket("genomics-runs")
    backend.create_bucket("empty-bucket")
    with tempfile.TemporaryDirectory(prefix="allas-tui-demo-") as tmp:
        folder = Path(tmp)

        def put(bucket: str, key: str, size: int) -> None:
            path = folder / "blob"
            path.write_bytes(rng.randbytes(size))
            backend.upload_file(path, bucket, key)

        put("2001234-puhti-SCRATCH", "README.txt", 1_200)
        for year in (2023, 2024, 2025):
            for month in range(1, 13):
                put("climate-era5", f"era5/{year}/{month:02d}/t2m.nc", rng.randint(40_000, 90_000))
        put("climate-era5", "notebooks/analysis.ipynb", 48_000)
        script = folder / "regrid.py"
        script.write_text(REGRID_SCRIPT)
        backend.upload_file(script, "climate-era5", "scripts/regrid.py")
        meta = {"author": "jdoe", "method": "bilinear"}
        backend.update_metadata("climate-era5", "scripts/regrid.py", meta, "text/x-python")
        for run in range(1, 4):
            for sample in range(1, 25):
                key = f"run{run:02d}/sample_{sample:04d}.fastq.gz"
                put("genomics-runs", key, rng.randint(10_000, 200_000))
        put("genomics-runs", "reference/README.md", 2_000)
        # two multipart objects (3 parts each), the kind large uploads make
        for key in ("reference/GRCh38.fa.gz", "run01/aligned.bam"):
            path = folder / "large"
            path.write_bytes(os.urandom(12 * MiB))
            backend.upload_file(path, "genomics-runs", key)
        _seed_swift_large_object(backend, folder / "swift")
    _backdate(rng)


SWIFT_SLO = ("genomics-runs", "reference/hg19.fa.gz")
"""The demo's Swift large object, as OpenStack Swift's s3api shows one over S3."""


REGRID_SCRIPT = '''"""Regrid ERA5 2 m temperature to a 0.25 degree grid, one month at a time."""

from pathlib import Path

import xarray as xr

GRID = xr.Dataset(coords={"lat": range(-90, 91), "lon": range(0, 360)})


def regrid(month: Path, out: Path) -> None:
    """Interpolate one month of hourly t2m onto GRID and write it next to `out`."""
    data = xr.open_dataset(month)
    data.t2m.interp_like(GRID).to_netcdf(out / month.name)


if __name__ == "__main__":
    for path in sorted(Path("era5").glob("*/*/t2m.nc")):
        regrid(path, Path("regridded"))
'''
"""A text object of the demo, for previews."""


def _seed_swift_large_object(backend: StorageBackend, path: Path) -> None:
    """A Swift SLO as S3 sees it: the object, its segments in
    `<bucket>_segments` as a Swift tool leaves them, and (set in moto's store,
    which has no Swift) the "-N" ETag suffix OpenStack Swift's s3api gives it."""
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends

    bucket, key = SWIFT_SLO
    data = os.urandom(6 * MiB)
    path.write_bytes(data)
    backend.upload_file(path, bucket, key)
    backend.create_bucket(f"{bucket}_segments")
    for number in range(3):
        path.write_bytes(data[number * 2 * MiB : (number + 1) * 2 * MiB])
        backend.upload_file(path, f"{bucket}_segments", f"{key}/slo/{number:08d}")
    stored = s3_backends[DEFAULT_ACCOUNT_ID]["global"].buckets[bucket].keys[key]
    stored._etag = hashlib.md5(data, usedforsecurity=False).hexdigest() + "-N"


def _backdate(rng: random.Random) -> None:
    """Give the demo's buckets and objects fixed dates over 2025, as a real
    project's would have, and so screenshots come out the same every time.
    Moto keeps its store in this process, so the dates are set on it directly."""
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends

    start = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    buckets = s3_backends[DEFAULT_ACCOUNT_ID]["global"].buckets
    for index, name in enumerate(sorted(buckets)):
        bucket = buckets[name]
        bucket.creation_date = start + timedelta(days=7 * index)
        for key in sorted(bucket.keys.values(), key=lambda k: k.name):
            offset = timedelta(days=rng.randint(30, 300), minutes=rng.randint(0, 1439))
            # moto keeps object times naive, in UTC
            key.last_modified = (bucket.creation_date + offset).replace(tzinfo=None)
