"""What the benchmark scripts share: the timing loop and the baseline they are measured against."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timings(fn: Callable[[], object], repeat: int, warm_up: bool = True) -> tuple[float, float]:
    """(min, median) wall seconds of ``fn`` over ``repeat`` runs, after one warm-up run unless told otherwise
    (as timeit advises, the minimum is the figure least disturbed by other work on the machine)."""
    if warm_up:
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def raw_calamine(path: str) -> None:
    """The baseline: python-calamine's raw read of every sheet of ``path``."""
    import python_calamine

    wb = python_calamine.CalamineWorkbook.from_path(path)
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
