"""One load level: N users at once for a bounded time, spread round-robin over the servers (what a
proxy with session affinity does), with the servers' memory sampled meanwhile."""

from __future__ import annotations

import asyncio
import math
import statistics
import time
from collections import Counter
from collections.abc import Awaitable
from dataclasses import dataclass, field

from tests.bench.load import servers
from tests.bench.load.browsers import BrowserCheck
from tests.bench.load.scenario import Sample, User

RAMP_S = 2.0  # users arrive spread over this many seconds (at most a quarter of the level)
MEMORY_EVERY_S = 0.5


@dataclass(frozen=True)
class Level:
    sessions: int
    replicas: int
    seconds: float  # wall time of the level, the last actions included
    samples: list[Sample]
    memory_before: float  # MB of the servers (and their children); nan: not measured
    memory_peak: float
    memory_after: float
    browser: list[float] | None = None  # seconds of the real-browser actions beside it; None: none ran
    browser_failures: list[str] = field(default_factory=list)

    @property
    def finished(self) -> list[float]:
        return [sample.seconds for sample in self.samples if sample.failure is None]

    @property
    def failures(self) -> Counter[str]:
        return Counter(sample.failure for sample in self.samples if sample.failure is not None)

    @property
    def success(self) -> float:
        return len(self.finished) / len(self.samples) if self.samples else math.nan

    @property
    def median(self) -> float:
        return statistics.median(self.finished) if self.finished else math.nan

    @property
    def p95(self) -> float:
        return percentile(self.finished, 95)

    @property
    def growth(self) -> float:
        """MB the servers grew at most while the level's sessions were open."""
        return self.memory_peak - self.memory_before


def percentile(values: list[float], percent: float) -> float:
    """The nearest-rank percentile (nan for no values)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


async def run(
    urls: list[str],
    sessions: int,
    seconds: float,
    think: float,
    pids: list[int],
    beside: BrowserCheck | None = None,
) -> Level:
    """`sessions` users on `urls` (round-robin) for `seconds`; `pids`: the servers' processes (none:
    memory not measured); `beside`: real browsers acting alongside, made ready before the level starts."""
    if beside:
        await beside.prepare()
    before = servers.memory_mb(pids) if pids else math.nan
    peak = [before]
    started = time.monotonic()
    deadline = started + seconds
    samples: list[Sample] = []
    ramp = min(RAMP_S, seconds / 4)
    sampler = asyncio.create_task(_sample_memory(pids, peak))
    users = [
        _later(i * ramp / sessions, User(i, urls[i % len(urls)], deadline, think, samples).run())
        for i in range(sessions)
    ]
    browsers = asyncio.ensure_future(beside.run(deadline)) if beside else None
    await asyncio.gather(*users)
    elapsed = time.monotonic() - started
    browser, browser_failures = await browsers if browsers else (None, [])
    sampler.cancel()
    after = servers.memory_mb(pids) if pids else math.nan
    return Level(sessions, len(urls), elapsed, samples, before, max(peak), after, browser, browser_failures)


async def _later(delay: float, work: Awaitable[None]) -> None:
    await asyncio.sleep(delay)
    await work


async def _sample_memory(pids: list[int], peak: list[float]) -> None:
    while pids:
        peak.append(servers.memory_mb(pids))
        await asyncio.sleep(MEMORY_EVERY_S)
