"""Side-by-side transfer speeds: allas-tui's queue against rclone, the aws
CLI and the swift CLI on the same local Allas (radosgw), in one run.

    .venv/bin/python tests/bench/compare_peers.py [--size-mib 1024] [--files 1000]

Needs the local stack running (tests/allas_stack/start.sh). Peers that are
not installed are reported as missing, not guessed. Prints MB/s or files/s
for each tool and the ratio of allas-tui to each peer (>1: allas-tui is faster).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from conftest import STACK_DIR, Stack, remove_bucket

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.settings import MiB, TransferSettings
from allas_tui.transfers.queue import TransferQueue

VENV_BIN = Path(sys.executable).parent


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def sh(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> None:
    """Run a peer's command with only the credentials given to it; on failure,
    raise with the last line it printed."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "OS_", "RCLONE_"))}
    done = subprocess.run(
        args, env={**base, **(env or {})}, cwd=cwd, capture_output=True, check=False
    )
    if done.returncode:
        lines = (done.stderr or done.stdout).decode(errors="replace").strip().splitlines()
        raise RuntimeError(f"{Path(args[0]).name}: {lines[-1] if lines else done.returncode}")


def ours(backend: StorageBackend, action: str, bucket: str, src: Path, dest: Path) -> None:
    queue = TransferQueue(backend)
    if action == "up":
        queue.upload([src], bucket, "", policy="overwrite")
    elif src.is_dir():
        queue.download(bucket, "", [], [f"{src.name}/"], dest, policy="overwrite")
    else:
        queue.download(bucket, "", [(src.name, -1)], [], dest, policy="overwrite")
    while (snap := queue.snapshot()).active or snap.counting:
        time.sleep(0.02)
    queue.shutdown()
    if snap.failed:
        raise RuntimeError(f"{snap.failed} transfers failed")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--files", type=int, default=1000)
    args = parser.parse_args()
    stack = Stack(json.loads((STACK_DIR / "stack.json").read_text()))
    work = Path(tempfile.mkdtemp(prefix="allas-bench-"))
    big = work / "big.bin"
    with big.open("wb") as f:
        for _ in range(args.size_mib):
            f.write(os.urandom(MiB))
    small = work / "small"
    small.mkdir()
    for i in range(args.files):
        (small / f"f{i:05d}.txt").write_bytes(os.urandom(4096))
    ca = stack.ca_bundle
    s3 = stack.s3_login("rgw")
    swift = stack.backend("rgw-swift")
    swift.list_buckets()
    conn = swift.connections.get()  # type: ignore[attr-defined]
    token, storage_url = conn.token, conn.url
    s3_env = {
        "AWS_ACCESS_KEY_ID": s3.access_key,
        "AWS_SECRET_ACCESS_KEY": s3.secret_key,
        "AWS_CA_BUNDLE": ca,
        "AWS_DEFAULT_REGION": "us-east-1",
        # as in storage/s3.py: radosgw over TLS refuses botocore's CRC32 trailers
        "AWS_REQUEST_CHECKSUM_CALCULATION": "when_required",
        "AWS_RESPONSE_CHECKSUM_VALIDATION": "when_required",
    }
    # rclone refuses AWS_CA_BUNDLE next to its own CA setting, so its keys go in its config
    rclone_env = {
        "RCLONE_CONFIG_B_TYPE": "s3",
        "RCLONE_CONFIG_B_PROVIDER": "Ceph",
        "RCLONE_CONFIG_B_ACCESS_KEY_ID": s3.access_key,
        "RCLONE_CONFIG_B_SECRET_ACCESS_KEY": s3.secret_key,
        "RCLONE_CONFIG_B_ENDPOINT": s3.endpoint_url,
        "RCLONE_CA_CERT": ca,
        "RCLONE_CONFIG_W_TYPE": "swift",
        "RCLONE_CONFIG_W_AUTH_TOKEN": token,
        "RCLONE_CONFIG_W_STORAGE_URL": storage_url,
    }
    swift_cli = [
        str(VENV_BIN / "swift"),
        "--os-auth-token",
        token,
        "--os-storage-url",
        storage_url,
        "--os-cacert",
        ca,
    ]
    aws = shutil.which("aws")
    rclone = shutil.which("rclone")
    results: dict[tuple[str, str], dict[str, float | str]] = {}

    def case(
        protocol: str,
        what: str,
        tool: str,
        up: Callable[[str], None],
        down: Callable[[str, Path], None],
        amount: float,
        unit: str,
    ) -> None:
        backend = stack.backend(f"rgw-{protocol}")
        bucket = f"bench-{uuid.uuid4().hex[:8]}"
        backend.create_bucket(bucket)
        out = work / f"out-{bucket}"
        out.mkdir()
        try:
            t_up = timed(lambda: up(bucket))
            t_down = timed(lambda: down(bucket, out))
            results[(f"{protocol} {what}", tool)] = {
                "up": amount / t_up,
                "down": amount / t_down,
                "unit": unit,
            }
        except Exception as exc:
            results[(f"{protocol} {what}", tool)] = {"error": str(exc)[:80]}
        finally:
            shutil.rmtree(out, ignore_errors=True)
            remove_bucket(backend, bucket)

    size_mb = args.size_mib * MiB / 1e6
    for protocol in ("s3", "swift"):
        backend = stack.backend(f"rgw-{protocol}", TransferSettings())  # the defaults
        for what, src, amount, unit in (
            ("1 file", big, size_mb, "MB/s"),
            (f"{args.files} files", small, float(args.files), "files/s"),
        ):
            case(
                protocol,
                what,
                "allas-tui",
                lambda b, src=src, backend=backend: ours(backend, "up", b, src, work),
                lambda b, o, src=src, backend=backend: ours(backend, "down", b, src, o),
                amount,
                unit,
            )
            if protocol == "s3" and aws:
                rec = ["--recursive"] if src.is_dir() else []
                key = f"{src.name}/" if src.is_dir() else src.name
                base = [aws, "--endpoint-url", s3.endpoint_url, "s3", "cp", "--quiet", *rec]
                case(
                    protocol,
                    what,
                    "aws s3 cp",
                    lambda b, base=base, src=src, key=key: sh(
                        *base, str(src), f"s3://{b}/{key}", env=s3_env
                    ),
                    lambda b, o, base=base, key=key: sh(
                        *base, f"s3://{b}/{key}", str(o / key), env=s3_env
                    ),
                    amount,
                    unit,
                )
            if rclone:
                remote = "B" if protocol == "s3" else "W"
                verb = "copy" if src.is_dir() else "copyto"
                target = src.name
                case(
                    protocol,
                    what,
                    "rclone",
                    lambda b, remote=remote, verb=verb, src=src, target=target: sh(
                        rclone, verb, str(src), f"{remote}:{b}/{target}", env=rclone_env
                    ),
                    lambda b, o, remote=remote, verb=verb, target=target: sh(
                        rclone, verb, f"{remote}:{b}/{target}", str(o / target), env=rclone_env
                    ),
                    amount,
                    unit,
                )
            if protocol == "swift":
                case(
                    protocol,
                    what,
                    "swift CLI",
                    lambda b, src=src: sh(
                        *swift_cli, "upload", "-S", str(64 * MiB), b, src.name, cwd=src.parent
                    ),
                    lambda b, o: sh(*swift_cli, "download", b, cwd=o),
                    amount,
                    unit,
                )
    print(f"\n{'case':24} {'tool':12} {'up':>12} {'down':>12} {'ratio up':>9} {'ratio down':>10}")
    for (name, tool), r in results.items():
        if "error" in r:
            print(f"{name:24} {tool:12} failed: {r['error']}")
            continue
        mine = results.get((name, "allas-tui"), {})
        ru = (mine.get("up", 0) / r["up"]) if "up" in mine else float("nan")  # type: ignore[operator]
        rd = (mine.get("down", 0) / r["down"]) if "down" in mine else float("nan")  # type: ignore[operator]
        print(
            f"{name:24} {tool:12} {r['up']:8.1f} {r['unit']:>4} {r['down']:8.1f} {r['unit']:>4}"
            f" {ru:9.2f} {rd:10.2f}"
        )
    for missing in [n for n, p in (("aws", aws), ("rclone", rclone)) if not p]:
        print(f"{missing}: not installed, not measured")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
