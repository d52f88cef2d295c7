"""The benchmark: allas-tui against rclone, the aws CLI (v1 and v2), s5cmd,
s3cmd and the swift CLI, on the same local Allas (radosgw over TLS), in one run.

    .venv/bin/python benchmarks/run.py [--only W1,W2,W3,W9,W10] [--repeat 3] [--results FILE]

1. installs the peers (benchmarks/install_peers.sh);
2. starts the local Allas unless it runs (tests/allas_stack/start.sh);
3. runs each workload for every client, a warm-up first, then --repeat times;
4. prints the medians, allas-tui's ratio to each peer (above 1: allas-tui is
   faster), the server's ceiling (the best any client reached, curl included),
   CPU seconds and peak RSS.

W1: one large file up and down (S3 multipart, Swift SLO). W2: many small
files up and down. W3: a full listing of a bucket of 100,000 objects. W9 and
W10: W2's files and W1's file copied server-side into another bucket.
The in-app workloads (W4-W7) are in benchmarks/in_app.py.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from local_allas import LocalAllas
from measure import CommandFailed, Summary, run_measured
from peers import Login, Peer, all_peers
from report import Row, publish, render, run_line

ROOT = Path(__file__).resolve().parents[1]


def _make_data(work: Path, big_mib: int, files: int, file_kib: int) -> tuple[Path, Path]:
    big = work / "big.bin"
    block = os.urandom(1 << 20)
    with big.open("wb") as f:
        for index in range(big_mib):
            # each MiB differs, so no layer can dedupe or compress it away
            f.write(index.to_bytes(8, "little") + block[8:])
    small = work / "small"
    small.mkdir()
    for index in range(files):
        (small / f"f{index:05d}.bin").write_bytes(os.urandom(file_kib * 1024))
    return big, small


def _transfer_case(
    allas: LocalAllas, peer: Peer, src: Path, repeat: int, work: Path
) -> tuple[Summary, Summary]:
    """Upload `src` into a fresh bucket and download the bucket, `repeat` times
    after one warm-up; the medians of each direction."""
    ups, downs = [], []
    for attempt in range(repeat + 1):
        bucket = allas.fresh_bucket()
        dest = Path(tempfile.mkdtemp(dir=work, prefix="down-"))
        try:
            cwd = src.parent if peer.up_from_parent else None
            up = run_measured(peer.up(src, bucket), peer.env, cwd)
            down = run_measured(peer.down(bucket, dest), peer.env)
            if attempt:  # the first run warms caches, pools and imports
                ups.append(up)
                downs.append(down)
        finally:
            shutil.rmtree(dest, ignore_errors=True)
            allas.remove_bucket(bucket)
    return Summary.of(ups), Summary.of(downs)


Measure = Callable[[Peer], tuple[Summary, Summary | None]]
"""One client's medians in one workload: one way, or up and down."""


def _rows(
    workload: str,
    peers: list[Peer],
    measure: Measure,
    amount: float,
    unit: str,
    cannot: Callable[[Peer], str | None] = lambda peer: peer.missing,
) -> list[Row]:
    """A row per client: its medians, or why it could not run or failed."""
    rows = []
    for peer in peers:
        why = cannot(peer)
        if why:
            rows.append(Row(workload, peer.protocol, peer.name, error=why))
            continue
        print(f"  {workload} {peer.protocol} {peer.name}", file=sys.stderr, flush=True)
        try:
            first, second = measure(peer)
        except CommandFailed as exc:
            rows.append(Row(workload, peer.protocol, peer.name, error=str(exc)[:100]))
            continue
        rows.append(Row(workload, peer.protocol, peer.name, first, second, amount, unit))
    return rows


def run_transfers(
    allas: LocalAllas,
    peers: list[Peer],
    workload: str,
    src: Path,
    amount: float,
    unit: str,
    repeat: int,
    work: Path,
) -> list[Row]:
    def measure(peer: Peer) -> tuple[Summary, Summary | None]:
        return _transfer_case(allas, peer, src, repeat, work)

    return _rows(workload, peers, measure, amount, unit)


def run_listing(allas: LocalAllas, peers: list[Peer], objects: int, repeat: int) -> list[Row]:
    bucket = allas.filled_bucket(objects)

    def measure(peer: Peer) -> tuple[Summary, Summary | None]:
        assert peer.listing is not None  # `cannot` left out the others
        samples = [run_measured(peer.listing(bucket), peer.env) for _ in range(repeat + 1)]
        return Summary.of(samples[1:]), None

    def cannot(peer: Peer) -> str | None:
        return peer.missing or (None if peer.listing else "no listing")

    return _rows("W3", peers, measure, objects, "objects/s", cannot)


def run_copies(
    allas: LocalAllas,
    peers: list[Peer],
    workload: str,
    src: Path,
    amount: float,
    unit: str,
    repeat: int,
) -> list[Row]:
    """Copy a bucket holding `src` (uploaded by allas-tui over each protocol,
    so large objects are S3 multipart or Swift SLOs) into a fresh bucket."""
    sources: dict[str, str] = {}

    def source(protocol: str) -> str:
        if protocol not in sources:
            ours = next(p for p in peers if p.name == "allas-tui" and p.protocol == protocol)
            sources[protocol] = allas.fresh_bucket()
            run_measured(ours.up(src, sources[protocol]), ours.env)
        return sources[protocol]

    def measure(peer: Peer) -> tuple[Summary, Summary | None]:
        assert peer.copy is not None  # `cannot` left out the others
        samples = []
        for attempt in range(repeat + 1):
            target = allas.fresh_bucket()
            try:
                sample = run_measured(peer.copy(source(peer.protocol), target), peer.env)
            finally:
                allas.remove_bucket(target)
            if attempt:  # the first run warms caches, pools and imports
                samples.append(sample)
        return Summary.of(samples), None

    def cannot(peer: Peer) -> str | None:
        return peer.missing or (None if peer.copy else "no server-side copy of a whole bucket")

    try:
        return _rows(workload, peers, measure, amount, unit, cannot)
    finally:
        for bucket in sources.values():
            allas.remove_bucket(bucket)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="W1,W2,W3,W9,W10", help="workloads, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs after the warm-up")
    parser.add_argument("--big-mib", type=int, default=2048, help="W1's file size")
    parser.add_argument("--files", type=int, default=1000, help="W2's file count")
    parser.add_argument("--file-kib", type=int, default=100, help="W2's file size")
    parser.add_argument("--objects", type=int, default=100_000, help="W3's bucket size")
    parser.add_argument("--peers", default="", help="only clients whose name has one of these")
    parser.add_argument("--results", type=Path, help="also write the tables to this Markdown file")
    args = parser.parse_args()
    workloads = set(args.only.split(","))

    subprocess.run([ROOT / "benchmarks" / "install_peers.sh"], check=True)
    allas = LocalAllas.start(ROOT)
    work = Path(tempfile.mkdtemp(prefix="allas-bench-"))
    try:
        home = work / "home"
        home.mkdir()
        login: Login = allas.login(home)
        peers = all_peers(login)
        if args.peers:
            wanted = args.peers.split(",")
            peers = [p for p in peers if p.name == "allas-tui" or any(w in p.name for w in wanted)]
        big, small = _make_data(
            work, args.big_mib if workloads & {"W1", "W10"} else 1, args.files, args.file_kib
        )
        rows: list[Row] = []
        if "W1" in workloads:
            mb = args.big_mib * 2**20 / 1e6
            rows += run_transfers(allas, peers, "W1", big, mb, "MB/s", args.repeat, work)
            rows += allas.curl_ceiling(login, big, mb, args.repeat)
        if "W2" in workloads:
            rows += run_transfers(
                allas, peers, "W2", small, args.files, "files/s", args.repeat, work
            )
        if "W3" in workloads:
            rows += run_listing(allas, peers, args.objects, args.repeat)
        if "W9" in workloads:
            rows += run_copies(allas, peers, "W9", small, args.files, "files/s", args.repeat)
        if "W10" in workloads:
            mb = args.big_mib * 2**20 / 1e6
            rows += run_copies(allas, peers, "W10", big, mb, "MB/s", args.repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        allas.stop_if_started()
    header = (
        f"{run_line('run.py')}; medians of {args.repeat} runs after a warm-up. "
        f"W1: {args.big_mib} MiB; W2: {args.files} x {args.file_kib} KiB; "
        f"W3: {args.objects:,} objects; W9, W10: W2's files and W1's file copied server-side."
    )
    text = render(header, rows)
    publish(text, args.results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
