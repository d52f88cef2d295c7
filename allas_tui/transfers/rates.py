"""Transfer rates over a sliding window, from counters sampled on a timer."""

from __future__ import annotations

from collections import deque

RATE_WINDOW = 5.0
"""Seconds of history a rate is averaged over: long enough to be steady, short
enough to follow a slowdown."""


class RateWindow:
    """Bytes per second from (time, cumulative bytes) samples."""

    def __init__(self, window: float = RATE_WINDOW) -> None:
        self._window = window
        self._samples: deque[tuple[float, int]] = deque()

    def sample(self, now: float, total: int) -> float | None:
        """Record `total` at `now`; the rate over the window, None until two samples."""
        self._samples.append((now, total))
        while len(self._samples) > 2 and now - self._samples[1][0] >= self._window:
            self._samples.popleft()
        first_time, first_total = self._samples[0]
        if now <= first_time:
            return None
        return max(0.0, (total - first_total) / (now - first_time))


def eta_seconds(remaining: int, rate: float | None) -> float | None:
    """Seconds left at `rate`; None when the rate is unknown or zero."""
    if remaining <= 0:
        return 0.0
    if not rate:
        return None
    return remaining / rate
