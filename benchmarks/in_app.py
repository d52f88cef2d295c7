"""The in-app workloads, timed inside the real app in a real terminal (tmux):

    .venv/bin/python benchmarks/in_app.py [--only W4,W5,W6,W7] [--repeat 3] [--results FILE]

W4: Enter on a bucket of 100,000 objects to the first rows painted (and to all
rows). W5: key press to screen update, idle and while 8 downloads run, timed in
the app (key event to the end of the next screen write) and from outside
(tmux send-keys to capture-pane showing the change). W6: in a loaded bucket of
500,000 objects, End, PgDn, a filter keystroke and a re-sort, with the app's
RSS. W7: start to first frame, and to the bucket list.

The app runs as benchmarks/probe_app.py: the app itself, writing what it
measured as JSON lines. The buckets are made on first use and kept.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from local_allas import LocalAllas
from peers import Login, s3_env, swift_env
from report import publish, run_line

ROOT = Path(__file__).resolve().parents[1]
PROBE = ROOT / "benchmarks" / "probe_app.py"
SESSION = "allas-bench-probe"
Event = dict[str, Any]


@dataclass
class Result:
    """One line of the report."""

    workload: str
    protocol: str
    what: str
    samples: list[float]
    unit: str
    goal: float | None = None

    def cells(self) -> list[str]:
        if not self.samples:
            return [self.workload, self.protocol, self.what, "-", "-", "-", "no samples"]
        ordered = sorted(self.samples)
        p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
        median = statistics.median(ordered)
        judged = p99 if len(ordered) >= 20 else median
        verdict = "" if self.goal is None else ("met" if judged <= self.goal else "missed")
        goal = "" if self.goal is None else f"≤ {self.goal:g}"
        return [
            self.workload,
            self.protocol,
            self.what,
            f"{len(ordered)}",
            f"{median:,.1f} {self.unit}",
            f"{p99:,.1f} {self.unit}" if len(ordered) >= 20 else "",
            f"{goal} {verdict}".strip(),
        ]


class Probe:
    """The app running in a tmux session, and what it wrote so far."""

    def __init__(self, env: dict[str, str], args: list[str]) -> None:
        self.out = Path(tempfile.mkstemp(prefix="probe-", suffix=".jsonl")[1])
        subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True, check=False)
        # a HOME of its own: the journal of a probe killed mid-transfer would
        # otherwise make the next one start with an offer to resume
        home = tempfile.mkdtemp(prefix="probe-home-")
        env = env | {"HOME": home, "ALLAS_BENCH_LAUNCHED": repr(time.time())}
        command = [sys.executable, str(PROBE), str(self.out), *args]
        flags = [f"-e{k}={v}" for k, v in env.items()]
        tmux = ["tmux", "new-session", "-d", "-s", SESSION, "-x", "120", "-y", "40", *flags]
        subprocess.run([*tmux, " ".join(command)], check=True, cwd=ROOT)

    def events(self, kind: str | None = None) -> list[Event]:
        lines = self.out.read_text(encoding="utf-8").splitlines()
        events = [json.loads(line) for line in lines if line.strip()]
        return [e for e in events if kind is None or e["event"] == kind]

    def wait_for(self, kind: str, timeout: float = 120) -> Event:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if found := self.events(kind):
                return found[-1]
            time.sleep(0.02)
        raise TimeoutError(f"the app did not report {kind!r} in {timeout:.0f} s")

    def keys(self, *names: str, gap: float = 0.05) -> None:
        for name in names:
            subprocess.run(["tmux", "send-keys", "-t", SESSION, name], check=True)
            time.sleep(gap)

    def screen(self) -> str:
        result = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", SESSION], capture_output=True, text=True
        )
        return result.stdout

    def seen_from_outside(self, key: str, timeout: float = 2.0) -> float:
        """Milliseconds from send-keys to capture-pane showing a change."""
        before = self.screen()
        start = time.monotonic()
        subprocess.run(["tmux", "send-keys", "-t", SESSION, key], check=True)
        while time.monotonic() - start < timeout:
            if self.screen() != before:
                return (time.monotonic() - start) * 1000
        return float("nan")

    def key_ms(self, key: str | None = None, since: int = 0) -> list[float]:
        found = self.events("key")[since:]
        return [e["ms"] for e in found if key is None or e["key"] == key]

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True, check=False)
        self.out.unlink(missing_ok=True)


def _start(env: dict[str, str], protocol: str, *args: str) -> Probe:
    probe = Probe(env, ["--protocol", protocol, *args])
    probe.wait_for("ready")
    time.sleep(0.3)  # let the first frames settle
    return probe


def w7_start(env: dict[str, str], protocol: str, repeat: int) -> list[Result]:
    frames, ready = [], []
    for _ in range(repeat + 1):
        probe = _start(env, protocol)
        frames.append(probe.wait_for("first_frame")["seconds"] * 1000)
        ready.append(probe.wait_for("ready")["seconds"] * 1000)
        probe.close()
    return [
        Result("W7", protocol, "start to first frame", frames[1:], "ms", 1000),
        Result("W7", protocol, "start to the bucket list shown", ready[1:], "ms"),
    ]


def w4_open(
    env: dict[str, str], protocol: str, bucket: str, rows: int, repeat: int
) -> list[Result]:
    first, whole = [], []
    for _ in range(repeat + 1):
        probe = _start(env, protocol, "--bucket", bucket, "--rows", str(rows))
        probe.keys("Enter")
        first.append(probe.wait_for("first_rows")["ms"])
        whole.append(probe.wait_for("listed", timeout=300)["ms"])
        probe.close()
    return [
        Result("W4", protocol, f"Enter to first rows ({rows:,} objects)", first[1:], "ms", 150),
        Result("W4", protocol, f"Enter to all {rows:,} rows", whole[1:], "ms"),
    ]


def _move_keys(probe: Probe, count: int) -> None:
    probe.keys(*(["Down"] * count + ["Up"] * count), gap=0.05)


def w5_keys(
    env: dict[str, str], protocol: str, transfers_bucket: str, browse_bucket: str, rows: int
) -> list[Result]:
    # idle keys move the cursor in a long listing, so that each one changes the screen
    probe = _start(env, protocol, "--bucket", browse_bucket, "--rows", str(rows))
    probe.keys("Enter")
    probe.wait_for("listed", timeout=300)
    time.sleep(1)
    since = len(probe.events("key"))
    _move_keys(probe, 50)
    time.sleep(0.5)
    idle = probe.key_ms(since=since)
    probe.close()
    probe = _start(env, protocol, "--download", transfers_bucket, "--files-at-once", "8")
    time.sleep(3)  # the downloads reach full speed
    seen = len(probe.events("key"))
    _move_keys(probe, 100)
    outside = [probe.seen_from_outside(key) for key in ["Down", "Up"] * 15]
    time.sleep(0.5)
    busy = probe.events("key")[seen:]
    probe.close()
    eight = [e["ms"] for e in busy if e["running"] >= 8]
    return [
        Result("W5", protocol, "key to screen, idle", idle, "ms", 16),
        Result("W5", protocol, "key to screen, 8 downloads running", eight, "ms", 50),
        Result(
            "W5", protocol, "key to screen, any downloads running", [e["ms"] for e in busy], "ms"
        ),
        Result("W5", protocol, "send-keys to capture-pane change (tmux)", outside, "ms"),
    ]


def w6_huge(env: dict[str, str], protocol: str, bucket: str, rows: int) -> list[Result]:
    probe = _start(env, protocol, "--bucket", bucket, "--rows", str(rows))
    probe.keys("Enter")
    listed = probe.wait_for("listed", timeout=600)
    time.sleep(1)
    measured: dict[str, list[float]] = {}

    def timed(label: str, *keys: str, key: str | None = None, rounds: int = 5) -> None:
        for _ in range(rounds):
            since = len(probe.events("key"))
            probe.keys(*keys, gap=0.3)
            measured.setdefault(label, []).extend(probe.key_ms(key, since))

    timed("End", "End", "Home", key="end")
    timed("PgDn", "PageDown", key="pagedown")
    filtered_before = len(probe.events("filtered"))
    timed("filter keystroke", "/", "7", "Escape", "Escape", key="7")
    filtered = [e["ms"] for e in probe.events("filtered")[filtered_before:]]
    timed("re-sort (s)", "s", key="s", rounds=6)
    rss = _rss_mib(probe)
    probe.close()
    results = [
        Result("W6", protocol, f"{k} ({rows:,} rows)", v, "ms", 50) for k, v in measured.items()
    ]
    return [
        *results,
        Result("W6", protocol, "filter keystroke to every match shown", filtered, "ms"),
        Result("W6", protocol, "Enter to all rows listed", [listed["ms"]], "ms"),
        Result("W6", protocol, "app RSS with the rows loaded", [rss], "MiB", 300),
    ]


def _rss_mib(probe: Probe) -> float:
    pane = subprocess.run(
        ["tmux", "list-panes", "-t", SESSION, "-F", "#{pane_pid}"], capture_output=True, text=True
    )
    pid = pane.stdout.split()[0]
    children = subprocess.run(["pgrep", "-P", pid], capture_output=True, text=True).stdout.split()
    status = Path(f"/proc/{(children or [pid])[0]}/status").read_text()
    line = next(x for x in status.splitlines() if x.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def render(header: str, results: list[Result]) -> str:
    lines = [header, "", "| workload | protocol | measure | n | median | p99 | goal |"]
    lines.append("|---|---|---|---|---|---|---|")
    lines += ["| " + " | ".join(r.cells()) + " |" for r in results]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="W4,W5,W6,W7")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--protocols", default="s3,swift")
    parser.add_argument("--results", type=Path)
    args = parser.parse_args()
    only = set(args.only.split(","))
    allas = LocalAllas.start(ROOT)
    login: Login = allas.login(Path(tempfile.mkdtemp(prefix="allas-bench-home-")))
    results: list[Result] = []
    cases: list[tuple[str, Callable[[dict[str, str], str], list[Result]]]] = []
    if "W7" in only:
        cases.append(("W7", lambda env, p: w7_start(env, p, args.repeat)))
    if "W4" in only:
        flat = allas.flat_bucket(100_000)
        cases.append(("W4", lambda env, p: w4_open(env, p, flat, 100_000, args.repeat)))
    if "W5" in only:
        busy = allas.download_set(8, 256)
        browse = allas.flat_bucket(100_000)
        cases.append(("W5", lambda env, p: w5_keys(env, p, busy, browse, 100_000)))
    if "W6" in only:
        huge = allas.flat_bucket(500_000)
        cases.append(("W6", lambda env, p: w6_huge(env, p, huge, 500_000)))
    for protocol in args.protocols.split(","):
        env = s3_env(login) if protocol == "s3" else swift_env(login)
        for name, case in cases:
            print(f"  {name} {protocol}", file=sys.stderr, flush=True)
            try:
                results += case(env, protocol)
            except (TimeoutError, subprocess.CalledProcessError) as exc:
                results.append(Result(name, protocol, f"failed: {exc}", [], ""))
            finally:
                subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)
    header = f"In-app workloads. {run_line('in_app.py')}"
    text = render(header, results)
    publish(text, args.results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
