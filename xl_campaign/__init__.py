"""xl-campaign: plan, check and run product-promotion campaigns in Excel."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app.frames import Frames

__version__ = "0.1.0"


def frames(path: Any, **options: Any) -> Frames:
    """The workbook at ``path`` as pandas DataFrames — tasks, team, materials, budget, channels, kpi, review, goals
    and findings (``xl_campaign.app.frames``; needs ``pip install 'xl-campaign[pandas]'``). Imported lazily."""
    from .app.frames import frames as read_frames

    return read_frames(path, **options)


def main() -> None:
    """Check & Update the calling workbook: the entry point of the add-in's ribbon button, which runs
    ``import xl_campaign; xl_campaign.main()``. Imported lazily so that ``import xl_campaign`` stays cheap."""
    from .excel.main import main as run_from_excel

    run_from_excel()
