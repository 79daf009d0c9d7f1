"""The master template and example workbooks, shipped in the wheel as ``xl_campaign.workbook``.

Generated from the sheet declarations by ``python -m xl_campaign.app.regenerate``; a test fails when they are stale.
"""

import os

DIRECTORY = os.path.dirname(__file__)


def path(name: str) -> str:
    """The path of a shipped workbook, e.g. ``path("template_zh.xlsx")``."""
    return os.path.join(DIRECTORY, name)
