"""Running one command and measuring it: wall time, CPU seconds (user + system
of the process and everything it waited for) and peak RSS, as GNU time
reports them."""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    """One timed run of one command."""

    seconds: float
    cpu_seconds: float
    peak_rss_mib: float


class CommandFailed(RuntimeError):
    """A measured command exited with an error; the message is its last line."""


def run_measured(
    argv: list[str], env: dict[str, str], cwd: Path | None = None, timeout: float = 1800
) -> Sample:
    """Run `argv` to the end and measure it through GNU time, a small C program:
    the peak RSS that wait4 reports for a child forked straight from this
    Python process would include this process's own image."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        start = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%U %S %M", "-o", report.name, *argv],
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=False,
        )
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            lines = done.stdout.decode(errors="replace").strip().splitlines()
            raise CommandFailed(f"{Path(argv[0]).name}: {lines[-1] if lines else done.returncode}")
        user, system, peak_kib = report.read().split()[-3:]
    return Sample(seconds, float(user) + float(system), int(peak_kib) / 1024)


@dataclass(frozen=True)
class Summary:
    """The median of several samples of one case."""

    seconds: float
    cpu_seconds: float
    peak_rss_mib: float
    runs: int

    @classmethod
    def of(cls, samples: list[Sample]) -> Summary:
        return cls(
            statistics.median(s.seconds for s in samples),
            statistics.median(s.cpu_seconds for s in samples),
            max(s.peak_rss_mib for s in samples),
            len(samples),
        )
