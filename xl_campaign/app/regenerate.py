"""Regenerate the committed workbooks in ``workbook/`` from the declarations: ``python -m xl_campaign.app.regenerate``.

A test compares the committed files with freshly generated ones (content, not bytes).
"""

from __future__ import annotations

import os
import sys

from ..core.content import example, starter

WORKBOOK_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "workbook")


def committed_workbooks() -> dict[str, object]:
    """File name -> Content for every workbook kept in ``workbook/``."""
    files: dict[str, object] = {}
    for lang in ("zh", "en"):
        files[f"template_{lang}.xlsx"] = starter(lang)
        files[f"example_{lang}.xlsx"] = example(lang)
    return files


def main(directory: str = WORKBOOK_DIR) -> None:
    from ..io.template import write_workbook

    for name, content in committed_workbooks().items():
        write_workbook(content, os.path.join(directory, name), force=True)  # type: ignore[arg-type]
        print(os.path.join(directory, name))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else WORKBOOK_DIR)
