"""Check workbooks headless: one file (:func:`check_file`) or a batch (:func:`check_paths`) in isolated workers.

A broken input is a finding, never an exception: the guard's verdict, a reader that dies, a file that takes too
long or needs too much memory each cost that file one XF finding and the batch goes on. Inputs are only read.

Batches run in a small pool of worker processes (forked where the platform allows, so a worker starts in
milliseconds with everything imported). Each worker has an address-space limit; the parent enforces a wall-time
limit per file and replaces a worker that died or was stopped.
"""

from __future__ import annotations

import glob
import hashlib
import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .. import __version__
from ..core.findings import Finding, Severity

WORKBOOK_EXTENSIONS = (".xlsx", ".xlsm", ".xltx", ".xltm")
# Found in folders too, so that a folder's every spreadsheet gets a result (their XF finding says why not read).
OTHER_SPREADSHEETS = (".xls", ".xlsb", ".ods", ".fods", ".csv", ".et", ".numbers")
DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY_MB = 2048


@dataclass
class FileResult:
    """The result for one file: its content hash, whether it is valid (no error finding), the findings."""

    path: str
    sha256: str | None
    findings: list[Finding] = field(default_factory=list)
    # what an ``analyse`` hook computed from the plan in the worker (rollup's campaign facts); not in the JSON
    extra: Any = None
    # (kind, detail) of a file that could not be read: its XF finding can be told again in another language
    problem: tuple[str, str] | None = None
    lang: str | None = None  # the workbook's language ("zh" / "en"), when it was read

    @property
    def valid(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "sha256": self.sha256, "valid": self.valid,
                "findings": [f.to_dict() for f in self.findings]}


@dataclass
class Report:
    """The results of one check run, in input order."""

    files: list[FileResult] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for result in self.files for f in result.findings]

    def summary(self) -> dict[str, Any]:
        findings = self.findings
        by_code = Counter(f.code for f in findings)
        return {
            "files": len(self.files),
            "invalid_files": sum(1 for r in self.files if not r.valid),
            "errors": sum(1 for f in findings if f.severity is Severity.ERROR),
            "warnings": sum(1 for f in findings if f.severity is Severity.WARNING),
            "by_code": dict(sorted(by_code.items())),
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON report: ``{"tool", "summary", "files": [{"path", "sha256", "valid", "findings"}]}``."""
        return {"tool": {"name": "xl-campaign", "version": __version__}, "summary": self.summary(),
                "files": [r.to_dict() for r in self.files]}

    def common_lang(self) -> str:
        """The language most of the workbooks read are in (zh on a tie); "en" when none could be read."""
        counts = Counter(result.lang for result in self.files if result.lang in ("zh", "en"))
        return "en" if not counts else "zh" if counts["zh"] >= counts["en"] else "en"

    def in_language(self, lang: str) -> None:
        """Tell the findings of files that could not be read (which have no language of their own) in ``lang``."""
        from ..core.rules import file_findings

        for result in self.files:
            if result.problem is not None and result.findings:
                codes = {f.code for f in result.findings}
                result.findings = [f.with_file(result.path) for f in file_findings(*result.problem, path=result.path,
                                                                                   lang=lang) if f.code in codes]

    def fails(self, fail_on: Severity | str) -> bool:
        """True when a finding is at or above ``fail_on`` (exit code 1)."""
        threshold = Severity(fail_on).rank
        return any(f.severity.rank >= threshold for f in self.findings)


def sha256_of(path: str) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _filter(findings: Iterable[Finding], select: Sequence[str], ignore: Sequence[str]) -> list[Finding]:
    from ..core.rules import is_selected

    return [f for f in findings if is_selected(f.code, select, ignore)]


def _file_problem(kind: str, detail: str, path: str, lang: str | None) -> list[Finding]:
    from ..core.rules import file_findings

    return file_findings(kind, detail, path=path, lang=lang or "en")


Analyse = Callable[[Any, list[Finding], date | None], Any]


def check_file(path: str | os.PathLike[str], *, lang: str | None = None, select: Sequence[str] = (),
               ignore: Sequence[str] = (), today: date | None = None, analyse: Analyse | None = None) -> FileResult:
    """Check one file in this process. Never raises for a bad input; the file is only read.

    ``analyse(plan, findings, today)``, when given, runs on the plan of a readable workbook while it is in memory;
    its result is kept in ``FileResult.extra`` (how ``rollup`` gets its facts without reading a file twice)."""
    from ..core.rules import run_rules
    from ..io import guard
    from ..io.reader import UnreadableWorkbook, read_plan
    from ..io.xlsx import read_small

    path = os.fspath(path)
    try:
        data = read_small(path)  # one read: the hash is of the very bytes that are checked
    except OSError:
        data = None
    sha = hashlib.sha256(data).hexdigest() if data is not None else sha256_of(path)
    if sha is None:
        reason = "no such file" if not os.path.exists(path) else "a folder" if os.path.isdir(path) else "no permission"
        return _unread(path, None, "unreadable", reason, lang, select, ignore)
    if not path.lower().endswith(WORKBOOK_EXTENSIONS):
        problem = guard.sniff(path) or guard.inspect(path)
        kind, detail = (problem.kind, problem.detail) if problem else ("unsupported-extension",
                                                                        os.path.splitext(path)[1] or "no extension")
        return _unread(path, sha, kind, detail, lang, select, ignore)
    try:
        plan = read_plan(path, data)
    except UnreadableWorkbook as exc:
        return _unread(path, sha, exc.problem.kind, exc.problem.detail, lang, select, ignore)
    except MemoryError:
        return _unread(path, sha, "memory", "MemoryError", lang, select, ignore)
    except OSError as exc:
        return _unread(path, sha, "unreadable", exc.strerror or str(exc), lang, select, ignore)
    findings = run_rules(plan, lang=lang, today=today, select=select, ignore=ignore)
    findings = [f if f.file == path else f.with_file(path) for f in _filter(findings, select, ignore)]
    extra = analyse(plan, findings, today) if analyse is not None else None
    return FileResult(path, sha, findings, extra, lang=plan.lang)


def _unread(path: str, sha: str | None, kind: str, detail: str, lang: str | None, select: Sequence[str],
            ignore: Sequence[str]) -> FileResult:
    """The result for a file that could not be read: its XF finding (and why, to tell it again in a batch's
    language)."""
    findings = _filter(_file_problem(kind, detail, path, lang), select, ignore)
    return FileResult(path, sha, [f if f.file == path else f.with_file(path) for f in findings],
                      problem=(kind, detail))


def expand_paths(inputs: Sequence[str]) -> list[str]:
    """Files from files, folders (recursive) and glob patterns, in a stable order, without duplicates.

    In folders, workbooks, other spreadsheet files and files without an extension are taken (their content
    says what they are; Excel lock files are reported); a file named explicitly is always taken. A name that matches nothing is kept (it is reported as unreadable).
    """
    out: list[str] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        key = os.path.normpath(path)
        if key not in seen:
            seen.add(key)
            out.append(path)

    wanted = WORKBOOK_EXTENSIONS + OTHER_SPREADSHEETS
    for item in inputs:
        if os.path.isdir(item):
            found = []
            for root, dirs, files in os.walk(item):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [os.path.join(root, f) for f in files if f.lower().endswith(wanted) or "." not in f]
            for path in sorted(found):
                add(path)
        elif not os.path.exists(item) and glob.has_magic(item):
            for path in sorted(glob.glob(item, recursive=True)):
                if os.path.isfile(path):
                    add(path)
        else:
            add(item)
    return out


# --- the worker pool ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Options:
    lang: str | None
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    today: date | None
    memory_mb: int
    analyse: Analyse | None = None  # a module-level function, so that spawned workers can import it


def _limit_memory(memory_mb: int) -> None:
    """Cap this process's address space at its current size plus ``memory_mb`` (POSIX only)."""
    try:
        import resource
    except ImportError:  # Windows: no per-process limit here; the time limit still applies
        return
    try:
        with open("/proc/self/statm") as handle:
            base = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        base = 512 << 20
    limit = base + (memory_mb << 20)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass


def _worker_main(conn: Any, options: _Options) -> None:
    import faulthandler

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    faulthandler.disable()  # a worker killed by a native abort is reported as a finding, not as a stack dump
    _limit_memory(options.memory_mb)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        index, path = job
        try:
            result = check_file(path, lang=options.lang, select=options.select, ignore=options.ignore,
                                today=options.today, analyse=options.analyse)
        except MemoryError:
            result = _unread(path, sha256_of(path), "memory", f"over {options.memory_mb} MB", options.lang,
                             options.select, options.ignore)
        conn.send((index, result))


class _Worker:
    def __init__(self, mp: Any, options: _Options) -> None:
        self.conn, child = mp.Pipe()
        self.process = mp.Process(target=_worker_main, args=(child, options), daemon=True)
        self.process.start()
        child.close()
        self.job: tuple[int, str] | None = None
        self.deadline = 0.0

    def give(self, job: tuple[int, str], timeout: float) -> None:
        self.job = job
        self.deadline = time.monotonic() + timeout
        self.conn.send(job)

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


def _context() -> Any:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _death(process: Any) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def check_paths(paths: Sequence[str], *, jobs: int | None = None, lang: str | None = None,
                select: Sequence[str] = (), ignore: Sequence[str] = (), today: date | None = None,
                timeout: float = DEFAULT_TIMEOUT, memory_mb: int = DEFAULT_MEMORY_MB,
                on_result: Callable[[FileResult], None] | None = None,
                analyse: Analyse | None = None) -> Report:
    """Check files, folders and globs; ``jobs`` worker processes (default: CPU count; 0 = in this process,
    without isolation). Each file gets a result, in input order; ``on_result`` is told as each one finishes;
    ``analyse`` is passed to :func:`check_file` in the workers. Without ``lang``, each workbook's findings are in
    its own language, and those of files that could not be read in the language most of the others use."""
    files = expand_paths(paths)
    select, ignore = tuple(select), tuple(ignore)
    results: list[FileResult | None] = [None] * len(files)
    if jobs == 0:
        for index, path in enumerate(files):
            results[index] = check_file(path, lang=lang, select=select, ignore=ignore, today=today,
                                        analyse=analyse)
            if on_result:
                on_result(results[index])  # type: ignore[arg-type]
        return _report(results, lang)
    _preload()
    options = _Options(lang, select, ignore, today, memory_mb, analyse)
    mp = _context()
    pending = list(enumerate(files))[::-1]
    workers = [_Worker(mp, options) for _ in range(max(1, min(jobs or os.cpu_count() or 1, len(files))))]

    def finish(index: int, result: FileResult) -> None:
        results[index] = result
        if on_result:
            on_result(result)

    def lost(worker: _Worker, kind: str, detail: str) -> None:
        assert worker.job is not None
        index, path = worker.job
        finish(index, _unread(path, sha256_of(path), kind, detail, lang, select, ignore))
        worker.stop()
        workers.remove(worker)
        if pending:
            replacement = _Worker(mp, options)
            workers.append(replacement)
            replacement.give(pending.pop(), timeout)

    try:
        for worker in workers:
            if pending:
                worker.give(pending.pop(), timeout)
        from multiprocessing.connection import wait

        while any(w.job is not None for w in workers):
            busy = [w for w in workers if w.job is not None]
            wait_for = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=wait_for))
            for worker in busy:
                if worker.conn in ready or worker.process.sentinel in ready:
                    try:
                        index, result = worker.conn.recv()
                    except (EOFError, OSError):
                        worker.process.join(1)
                        lost(worker, "crashed", _death(worker.process))
                        continue
                    finish(index, result)
                    worker.job = None
                    if pending:
                        worker.give(pending.pop(), timeout)
                elif time.monotonic() >= worker.deadline:
                    lost(worker, "timeout", f"{timeout:g} s")
    finally:
        for worker in workers:
            try:
                worker.conn.send(None)
            except (OSError, ValueError):
                pass
            worker.process.join(2)
            worker.stop()
    return _report(results, lang)


def _report(results: list[FileResult | None], lang: str | None) -> Report:
    report = Report([r for r in results if r is not None])
    if lang is None:
        report.in_language(report.common_lang())
    return report


def _preload() -> None:
    """Import what the workers need before forking them, so that each starts with it loaded."""
    import python_calamine  # noqa: F401

    from ..core import rules  # noqa: F401
    from ..io import reader  # noqa: F401
