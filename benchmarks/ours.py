"""allas-tui's side of the benchmark, as a process of its own, so that its time,
CPU and memory are measured exactly as each peer's are.

    python benchmarks/ours.py {s3,swift} {up,down,list,copy} BUCKET [PATH | TARGET]

It logs in as the app does, from the environment (`AWS_*` keys with an
endpoint, or allas-conf's `OS_AUTH_TOKEN` and `OS_STORAGE_URL`), with the
settings of `~/.config/allas-tui/config.toml` or the defaults, and the
journal in `~/.local/state/allas-tui/`. `up` sends a
file or a directory to the bucket's top; `down` fetches everything in the
bucket into PATH; `list` lists the whole bucket and prints the count; `copy`
copies everything in the bucket server-side into the TARGET bucket.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from allas_tui.config import load_config
from allas_tui.storage.discovery import choose_profile, discover
from allas_tui.storage.models import Protocol
from allas_tui.storage.profiles import open_backend
from allas_tui.transfers.journal import Journal, account_key
from allas_tui.transfers.queue import TransferQueue
from allas_tui.transfers.walking import CopyPick


def main(argv: list[str]) -> int:
    protocol, action, bucket, *rest = argv
    config = load_config()
    backend = open_backend(
        choose_profile(discover(), protocol=Protocol(protocol)), config.transfers
    )
    if action == "list":
        count = sum(len(page.objects) for page in backend.iter_pages(bucket))
        print(count)
        return 0
    # journalled, as in the app, so the benchmark pays what a user pays
    journal = Journal()
    queue = TransferQueue(backend, journal=journal, account=account_key(backend))
    if action == "copy":
        queue.copy(bucket, [CopyPick("", "")], rest[0], policy="overwrite")
    elif action == "up":
        queue.upload([Path(rest[0])], bucket, "", policy="overwrite")
    else:
        queue.download(bucket, "", [], [""], Path(rest[0]), policy="overwrite")
    while (snap := queue.snapshot()).active or snap.counting:
        time.sleep(0.01)
    queue.shutdown()
    journal.close()
    if snap.failed:
        print(f"{snap.failed} transfers failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
