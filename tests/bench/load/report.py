"""Printing the load figures beside their targets (issue 19, after Streamlit's own load-test
criteria). Nothing passes or fails: each target is said to be met or not."""

from __future__ import annotations

import math
import os
import statistics
from dataclasses import dataclass

from tests.bench.load.levels import Level, percentile

SUCCESS_TARGET = 1.0  # every action ends in a finished script run
P95_TARGET_S = 5.0  # p95 from action to finished run ...
P95_AT_SESSIONS = 25  # ... at 25 sessions on one replica
MEMORY_TARGET_MB = 100.0  # server memory growth per 50 sessions
MEMORY_PER_SESSIONS = 50
SCALING_TARGET = 1.6  # 2 replicas on 2 cores: at least 1.6x the sessions at the same p95


@dataclass
class Ladder:
    replicas: int
    levels: list[Level]

    def capacity(self) -> int:
        """The most sessions of a level whose p95 stayed under the target (0: none)."""
        return max((level.sessions for level in self.levels if level.p95 < P95_TARGET_S), default=0)

    def throughput(self) -> float:
        """Finished actions per second at the busiest level whose p95 stayed under the target: what
        the replicas serve within the target, whatever the pause between a user's actions."""
        within = [level for level in self.levels if level.p95 < P95_TARGET_S]
        return max((len(level.finished) / level.seconds for level in within), default=0.0)

    def peak(self) -> float:
        """Finished actions per second at the busiest level, whatever its p95 (saturated)."""
        return max((len(level.finished) / level.seconds for level in self.levels), default=0.0)


def header(replicas: int, seconds: float, think: float) -> None:
    print(
        f"Load, protocol level (tests/bench/load): {replicas} replica(s), {seconds:g} s per level, "
        f"{think:g} s mean pause between a user's actions; {os.cpu_count()} CPU cores shared by the servers, "
        "this load generator and the browsers (other work on the machine makes the figures noisy)"
    )
    print(f"  {'sessions':>8} {'actions':>7} {'success':>8} {'median':>8} {'p95':>8} {'actions/s':>9}  server memory")


def level(result: Level) -> None:
    """One level's line, printed as soon as it is measured; its failures and browsers below it."""
    memory = (
        "not measured (--url)"
        if math.isnan(result.memory_before)
        else f"{result.growth:+,.0f} MB at peak, {result.memory_after - result.memory_before:+,.0f} MB after "
        f"(from {result.memory_before:,.0f} MB)"
    )
    print(
        f"  {result.sessions:>8} {len(result.samples):>7} {result.success:>8.1%} {_s(result.median):>8} "
        f"{_s(result.p95):>8} {len(result.finished) / result.seconds:>9.1f}  {memory}",
        flush=True,
    )
    for reason, count in result.failures.most_common(5):
        print(f"           failed {count}x: {reason}")
    if result.browser is not None:
        browser(result)


def browser(result: Level) -> None:
    times = result.browser or []
    median = statistics.median(times) if times else math.nan
    failures = "; ".join(result.browser_failures) or "none"
    print(
        f"           real browsers beside these {result.sessions} sessions: {len(times)} Chromium actions, "
        f"median {_s(median)}, p95 {_s(percentile(times, 95))} (action to page drawn and settled); "
        f"failures: {failures}",
        flush=True,
    )


def targets(ladder: Ladder) -> None:
    levels = ladder.levels
    short = [f"{lv.sessions}: {lv.success:.1%}" for lv in levels if lv.success < SUCCESS_TARGET]
    print(f"  target 100% success at every level: {_met(not short)}" + (f" ({', '.join(short)})" if short else ""))
    at = next((lv for lv in levels if lv.sessions == P95_AT_SESSIONS), None)
    if ladder.replicas == 1 and at is not None:
        met = _met(at.p95 < P95_TARGET_S)
        print(f"  target p95 < {P95_TARGET_S:g} s at {P95_AT_SESSIONS} sessions on one replica: {_s(at.p95)}, {met}")
    largest = max(levels, key=lambda lv: lv.sessions)
    memory = f"  target memory growth < {MEMORY_TARGET_MB:g} MB per {MEMORY_PER_SESSIONS} sessions: "
    if math.isnan(largest.growth):
        print(memory + "not measured (--url)")
    elif largest.sessions < MEMORY_PER_SESSIONS:
        print(memory + f"not measured (largest level {largest.sessions} sessions: {largest.growth:+,.0f} MB)")
    else:
        per = largest.growth * MEMORY_PER_SESSIONS / largest.sessions
        shown = f"{largest.growth:+,.0f} MB at {largest.sessions} sessions"
        print(memory + f"{shown} ({per:+,.0f} MB per {MEMORY_PER_SESSIONS}), {_met(per < MEMORY_TARGET_MB)}")
    print(f"  highest session count with p95 < {P95_TARGET_S:g} s: {ladder.capacity() or 'none'}")
    per_core = ladder.throughput() / min(ladder.replicas, os.cpu_count() or 1)
    print(
        f"  capacity: {ladder.throughput():.1f} finished actions/s within p95 < {P95_TARGET_S:g} s "
        f"({per_core:.1f} per core); {ladder.peak():.1f} actions/s at the busiest level",
        flush=True,
    )


def scaling(ladders: list[Ladder]) -> None:
    """The sessions 2 (or more) replicas carry at p95 < 5 s against one replica's."""
    one = next((ladder for ladder in ladders if ladder.replicas == 1), None)
    more = [ladder for ladder in ladders if ladder.replicas > 1]
    if one is None or not more:
        return
    tested = sorted({lv.sessions for ladder in ladders for lv in ladder.levels})
    for ladder in more:
        base, scaled = one.capacity(), ladder.capacity()
        if not base:
            print(f"Scaling: one replica has no level with p95 < {P95_TARGET_S:g} s: no ratio")
            continue
        if base == tested[-1]:
            print(f"Scaling: one replica keeps p95 < {P95_TARGET_S:g} s at every level tested: no ratio (add levels)")
            continue
        ratio = scaled / base
        bound = "at least " if scaled == tested[-1] else ""
        print(
            f"Scaling: highest session count with p95 < {P95_TARGET_S:g} s: 1 replica {base}, "
            f"{ladder.replicas} replicas {scaled}: {bound}{ratio:.2f}x (target >= {SCALING_TARGET:g}x on "
            f"{ladder.replicas} cores: {_met(ratio >= SCALING_TARGET)}; levels tested: {', '.join(map(str, tested))})"
        )
        peak = ladder.peak() / one.peak() if one.peak() else math.nan
        busiest = f"{one.peak():.1f} -> {ladder.peak():.1f} actions/s"
        print(f"Scaling of the busiest level's throughput: {busiest}: {peak:.2f}x")


def _s(seconds: float) -> str:
    return "-" if math.isnan(seconds) else f"{seconds:.2f} s"


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"
