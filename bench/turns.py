"""Two ways of doing the same run, timed in alternating turns so that both meet the same speed of
the machine (bench/consolidate.py, bench/localise.py): the times of each, and a line saying what
the second adds to the first."""

from __future__ import annotations

import statistics
import time
from typing import Callable


def alternate(ways: dict[str, Callable[[], object]], turns: int) -> dict[str, list[float]]:
    """Seconds of each way, per turn; the order of the ways turns round from one turn to the next."""
    times: dict[str, list[float]] = {name: [] for name in ways}
    for turn in range(turns):
        for name, run in list(ways.items())[:: 1 if turn % 2 == 0 else -1]:
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    return times


def what_it_adds(what: str, times: dict[str, list[float]], base: str, other: str) -> str:
    """The medians of `base` and `other` and what `other` adds, then every turn's time."""
    first, second = statistics.median(times[base]), statistics.median(times[other])
    return (
        f"{what}: {base} {first:.2f} s, {other} {second:.2f} s, +{(second / first - 1) * 100:.1f} %\n"
        f"  turns {base} {[round(t, 2) for t in times[base]]}, {other} {[round(t, 2) for t in times[other]]}"
    )
