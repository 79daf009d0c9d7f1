"""Reading the example workbook into models, as a ratio to python-calamine's raw read of the same file.

Run: python benchmarks/bench_read.py            (target: ratio <= 3.0)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from common import (  # benchmarks/common.py (this folder is on the path when a script runs)
    raw_calamine,
    timings,
)

TARGET_RATIO = 3.0


def main() -> int:
    from xl_campaign.core.content import example
    from xl_campaign.io.reader import read_plan
    from xl_campaign.io.template import write_workbook

    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "example.xlsx")
        write_workbook(example("zh"), path)
        from xl_campaign.io.xlsx import scan_package

        raw_min, raw_med = timings(lambda: raw_calamine(path), 30)
        ours_min, ours_med = timings(lambda: read_plan(path), 30)
        _, scan_med = timings(lambda: scan_package(path), 30)
    ratio = ours_med / raw_med
    print(f"example workbook, raw python-calamine read : {raw_med * 1000:7.2f} ms (min {raw_min * 1000:.2f})")
    print(f"example workbook, read_plan into models   : {ours_med * 1000:7.2f} ms (min {ours_min * 1000:.2f})")
    print(f"ratio read_plan / calamine                : {ratio:7.2f}x  (target <= {TARGET_RATIO}x) "
          f"{'OK' if ratio <= TARGET_RATIO else 'OVER TARGET'}")
    print(f"  of which the safety scan before calamine : {scan_med * 1000:7.2f} ms ({scan_med / raw_med:.2f}x "
          "calamine: zip limits, DOCTYPEs, sheet extents, error cells, formulas without values)")
    print(f"  the rest (calamine + parsing into models) : {(ours_med - scan_med) * 1000:7.2f} ms "
          f"({(ours_med - scan_med) / raw_med:.2f}x calamine)")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
