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


def _parts(path: str) -> dict[str, bytes] | None:
    """A package's parts but its timestamps (docProps/core.xml), or None when it cannot be read."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}
    except (OSError, zipfile.BadZipFile):
        return None


def main(directory: str = WORKBOOK_DIR) -> None:
    """Write each committed workbook again; one whose parts are unchanged (but for its timestamps) is left as it
    is, so that regenerating does not churn the repository."""
    import shutil
    import tempfile

    from ..io.template import write_workbook

    for name, content in committed_workbooks().items():
        target = os.path.join(directory, name)
        with tempfile.TemporaryDirectory() as scratch:
            fresh = write_workbook(content, os.path.join(scratch, name), force=True)  # type: ignore[arg-type]
            if _parts(fresh) == _parts(target):
                print(f"{target} (unchanged)")
                continue
            shutil.copyfile(fresh, target + ".part")  # another file system: copy beside the target, then replace
            os.replace(target + ".part", target)
        print(target)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else WORKBOOK_DIR)
