"""The generated hostile inputs (tests/hostile.py) are what they claim to be: other readers open the legacy and
OpenDocument files, the encrypted ones open with their password and only with it, LibreOffice reads them like
files it wrote itself — and a real .xls written by LibreOffice is told apart by the guard just like ours."""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest

from xl_campaign.io.guard import inspect
from xl_campaign.io.reader import read_plan

from . import hostile
from .conftest import libreoffice_convert

ROWS = [["Task", "Owner", "Budget"], ["Posters", "小明", 1200.0], ["Launch event", "Li Hua", 5000.5]]


def calamine_rows(path: Path | io.BytesIO) -> list[list[Any]]:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_filelike(path) if isinstance(path, io.BytesIO) \
        else python_calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_index(0).to_python()


def decrypted(path: Path, password: str) -> io.BytesIO:
    import msoffcrypto

    with open(path, "rb") as handle, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        office = msoffcrypto.OfficeFile(handle)
        office.load_key(password=password)
        out = io.BytesIO()
        office.decrypt(out)
    out.seek(0)
    return out


def test_the_compound_file_holds_its_streams(tmp_path: Path) -> None:
    import olefile

    # four streams (a directory tree with both siblings), one of 80 KB (a FAT of two sectors)
    streams = {"Workbook": b"W" * 5000, "Second": bytes(range(256)) * 40, "A": b"a" * 4096,
               "PROJECT": bytes(range(256)) * 320}
    path = tmp_path / "four.bin"
    path.write_bytes(hostile.compound_file(streams))
    with olefile.OleFileIO(str(path)) as ole:
        assert sorted(ole.listdir()) == [["A"], ["PROJECT"], ["Second"], ["Workbook"]]
        assert {name: ole.openstream(name).read() for name in streams} == streams
    with pytest.raises(AssertionError):
        hostile.compound_file({"Small": b"x"})  # would belong in the mini stream, which the writer does not make


def test_the_legacy_xls_is_a_workbook_another_reader_opens(tmp_path: Path) -> None:
    path = hostile.legacy_xls(tmp_path / "old.xls")
    assert calamine_rows(path) == ROWS
    problem = inspect(str(path))
    assert problem is not None and (problem.code, problem.variant) == ("XF003", "")


def test_the_password_xls_opens_with_its_password_only(tmp_path: Path) -> None:
    import msoffcrypto.exceptions
    import python_calamine

    path = hostile.password_xls(tmp_path / "locked.xls")
    with pytest.raises(python_calamine.PasswordError):
        calamine_rows(path)
    with pytest.raises(msoffcrypto.exceptions.InvalidKeyError):
        decrypted(path, "wrong")
    assert calamine_rows(decrypted(path, hostile.PASSWORD)) == ROWS
    # the records after FILEPASS really are encrypted: the shared strings are not in clear text
    text = "Posters".encode("utf-16-le")
    assert text in hostile.legacy_xls(tmp_path / "plain.xls").read_bytes() and text not in path.read_bytes()


def test_the_encrypted_xlsx_is_the_campaign_behind_its_password(tmp_path: Path) -> None:
    path = hostile.encrypted_xlsx(tmp_path / "secret.xlsx")
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(decrypted(path, hostile.PASSWORD).getvalue())
    assert plain.read_bytes() == hostile.campaign(tmp_path / "base.xlsx").read_bytes()
    assert len(read_plan(plain).tasks) > 5


def test_the_ods_is_an_opendocument_spreadsheet(tmp_path: Path) -> None:
    path = hostile.ods(tmp_path / "calc.ods")
    assert calamine_rows(path) == [["Task", "Budget"], ["Posters", 1200.0]]
    with zipfile.ZipFile(path) as archive:  # OpenDocument: the mimetype first and stored
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED


@pytest.mark.parametrize("kind", list(hostile.LOSSY))
def test_every_lossy_workbook_is_still_a_package_openpyxl_reads(tmp_path: Path, kind: str) -> None:
    """Each addition keeps the package well formed: every relationship points at a part, every part has a
    content type, and openpyxl still loads the workbook (then drops the addition: the reason for the pre-flight)."""
    import openpyxl

    path = hostile.lossy(tmp_path / hostile.lossy_name(kind), kind)
    parts = hostile.read_parts(path)
    types = parts["[Content_Types].xml"].decode()
    for name in parts:
        if name.endswith(".rels"):
            for target, mode in hostile.relationship_targets(name, parts[name]):
                assert mode == "External" or target in parts, (name, target)
        elif not name.startswith("[") and f'PartName="/{name}"' not in types:
            assert f'Extension="{name.rsplit(".", 1)[-1]}"' in types, name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        openpyxl.load_workbook(path, keep_vba=kind in ("vba", "macro-sheets"))


@pytest.mark.libreoffice
def test_libreoffice_reads_the_generated_files_as_its_own(tmp_path: Path) -> None:
    """LibreOffice opens the legacy .xls, the decrypted password .xls and the .ods and finds the same cells."""
    import openpyxl

    sources = [hostile.legacy_xls(tmp_path / "old.xls"), hostile.ods(tmp_path / "calc.ods")]
    plain = tmp_path / "unlocked.xls"
    plain.write_bytes(decrypted(hostile.password_xls(tmp_path / "locked.xls"), hostile.PASSWORD).getvalue())
    sources.append(plain)
    for source in sources:
        converted = libreoffice_convert(source, tmp_path / "lo")
        rows = [[c.value for c in row] for row in openpyxl.load_workbook(converted).active.iter_rows()]
        expected = calamine_rows(source)
        assert rows == [[int(v) if isinstance(v, float) and v.is_integer() else v for v in r] for r in expected]


@pytest.mark.libreoffice
def test_a_real_xls_is_told_apart_like_the_generated_one(tmp_path: Path) -> None:
    """An .xls written by LibreOffice (--convert-to xls) reads as a legacy workbook, as the generated one does."""
    from xl_campaign.app.check import check_file

    real = libreoffice_convert(hostile.campaign(tmp_path / "campaign.xlsx"), tmp_path / "lo", to="xls")
    problem = inspect(str(real))
    assert problem is not None and (problem.code, problem.variant) == ("XF003", "")
    assert [f.code for f in check_file(real).findings] == ["XF003"]
