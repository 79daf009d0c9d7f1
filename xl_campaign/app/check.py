"""Check workbooks headless: one file (:func:`check_file`) or a batch (:func:`check_paths`) in isolated workers.

A broken input is a finding, never an exception: the guard's verdict, a reader that dies, a file that takes too
long or needs too much memory each cost that file one XF finding and the batch goes on. Inputs are only read.

Batches run in a small pool of worker processes (forked where the platform allows, so a worker starts in
milliseconds with everything imported). Each worker has an address-space limit; the parent enforces a wall-time
limit per file and replaces a worker that died or was stopped.
"""

from __future__ import annotations

import glob
import os
import signal
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..core.findings import FileProblem, Finding
from ..core.text import resolve_lang
from .config import DEFAULT_SETTINGS, Settings
from .load import WORKBOOK_EXTENSIONS, load, sha256_of
from .results import FileResult, Report

__all__ = ["FileResult", "Report", "check_file", "check_paths", "expand_paths"]

# Found in folders too, so that a folder's every spreadsheet gets a result (their XF finding says why not read).
OTHER_SPREADSHEETS = (".xls", ".xlsb", ".ods", ".fods", ".csv", ".et", ".numbers")
DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY_MB = 2048


def _filter(findings: Iterable[Finding], select: Sequence[str], ignore: Sequence[str]) -> list[Finding]:
    from ..core.rules import is_selected

    return [f for f in findings if is_selected(f.code, select, ignore)]


Analyse = Callable[[Any, list[Finding], date | None], Any]


def check_file(path: str | os.PathLike[str], *, lang: str | None = None, select: Sequence[str] = (),
               ignore: Sequence[str] = (), today: date | None = None, analyse: Analyse | None = None,
               settings: Settings = DEFAULT_SETTINGS) -> FileResult:
    """Check one file in this process. Never raises for a bad input; the file is only read.

    ``settings``: what the team's policy file says for this workbook (``app.config``): its thresholds, rules and
    severities. ``select`` (the command line's) replaces the file's ``select``; ``ignore`` adds to its ``ignore``.
    ``analyse(plan, findings, today)``, when given, runs on the plan of a readable workbook while it is in memory;
    its result is kept in ``FileResult.extra`` (how ``rollup`` gets its facts without reading a file twice)."""
    from ..core.policy import fill_overview

    select, ignore = tuple(select) or settings.select, tuple(ignore) + settings.ignore
    loaded = load(path)
    path = loaded.path
    if loaded.plan is None:
        assert loaded.problem is not None
        return _unread(path, loaded.sha256, loaded.problem, lang, select, ignore, settings)
    plan = fill_overview(loaded.plan, settings.policy)
    findings = judge(plan, path, settings, lang=lang, today=today, select=select, ignore=ignore)
    extra = analyse(plan, findings, today) if analyse is not None else None
    return FileResult(path, loaded.sha256, findings, extra, lang=plan.lang, fail_on=settings.fail_on)


def judge(plan: Any, path: str, settings: Settings, *, lang: str | None = None, today: date | None = None,
          select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[Finding]:
    """The findings of a readable workbook's plan under ``settings``: the selected rules with the policy's
    thresholds, the file's severity changes made, each finding naming ``path``. ``select``/``ignore``: the
    effective ones (the command line's merged with the file's, as :func:`check_file` does)."""
    from ..core.rules import run_rules

    findings = run_rules(plan, lang=lang, today=today, select=select, ignore=ignore, policy=settings.policy)
    return settings.apply([f if f.file == path else f.with_file(path) for f in _filter(findings, select, ignore)])


def _unread(path: str, sha: str | None, problem: FileProblem, lang: str | None, select: Sequence[str],
            ignore: Sequence[str], settings: Settings = DEFAULT_SETTINGS) -> FileResult:
    """The result for a file that could not be read: its XF finding (and the problem, to tell it again in a
    batch's language)."""
    from ..core.rules import file_findings

    findings = [f for f in file_findings(problem, path=path, lang=resolve_lang(lang))
                if _kept_unread(f, select, ignore)]
    findings = settings.apply([f if f.file == path else f.with_file(path) for f in findings])
    return FileResult(path, sha, findings, problem=problem, fail_on=settings.fail_on, settings=settings)


def _kept_unread(finding: Finding, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """Whether the XF finding of a file that could not be read is reported: when selected — and, as an error, also
    whenever a SEC rule is selected and the code is not ignored by name: a security gate (``--select SEC``) must
    not pass a file it could not look into (an encrypted workbook or a legacy .xls may hold macros)."""
    from ..core.findings import Severity
    from ..core.rules import RULES, is_selected
    from ..core.rules.registry import matches

    if is_selected(finding.code, select, ignore):
        return True
    return (finding.severity is Severity.ERROR and not matches(finding.code, ignore)
            and any(is_selected(code, select, ignore) for code in RULES if code.startswith("SEC")))


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
        index, path, settings = job
        try:
            result = check_file(path, lang=options.lang, select=options.select, ignore=options.ignore,
                                today=options.today, analyse=options.analyse, settings=settings)
        except MemoryError:
            result = _unread(path, sha256_of(path), FileProblem("XF018", f"over {options.memory_mb} MB"),
                             options.lang, options.select or settings.select, options.ignore + settings.ignore,
                             settings)
        conn.send((index, result))


class _Worker:
    def __init__(self, mp: Any, options: _Options) -> None:
        self.conn, child = mp.Pipe()
        self.process = mp.Process(target=_worker_main, args=(child, options), daemon=True)
        self.process.start()
        child.close()
        self.job: tuple[int, str, Settings] | None = None
        self.deadline = 0.0

    def give(self, job: tuple[int, str, Settings], timeout: float) -> None:
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
                analyse: Analyse | None = None, settings_for: Callable[[str], Settings] | None = None) -> Report:
    """Check files, folders and globs; ``jobs`` worker processes (default: CPU count; 0 = in this process,
    without isolation). Each file gets a result, in input order; ``on_result`` is told as each one finishes;
    ``analyse`` is passed to :func:`check_file` in the workers. Without ``lang``, each workbook's findings are in
    its own language, and those of files that could not be read in the language most of the others use.

    ``settings_for(path)``: the settings of each workbook (``app.config.Resolver.settings_for``: the policy file
    found for it), decided here before any work starts — a bad policy file raises ``ConfigError`` first — and sent
    to the worker with the file. None: the built-in defaults for every file."""
    files = expand_paths(paths)
    select, ignore = tuple(select), tuple(ignore)
    per_file = [settings_for(path) if settings_for else DEFAULT_SETTINGS for path in files]
    results: list[FileResult | None] = [None] * len(files)
    if jobs == 0:
        for index, path in enumerate(files):
            results[index] = check_file(path, lang=lang, select=select, ignore=ignore, today=today,
                                        analyse=analyse, settings=per_file[index])
            if on_result:
                on_result(results[index])  # type: ignore[arg-type]
        return _report(results, lang)
    _preload()
    options = _Options(lang, select, ignore, today, memory_mb, analyse)
    mp = _context()
    pending = [(index, path, per_file[index]) for index, path in enumerate(files)][::-1]
    workers = [_Worker(mp, options) for _ in range(max(1, min(jobs or os.cpu_count() or 1, len(files))))]

    def finish(index: int, result: FileResult) -> None:
        results[index] = result
        if on_result:
            on_result(result)

    def lost(worker: _Worker, code: str, detail: str) -> None:
        assert worker.job is not None
        index, path, settings = worker.job
        finish(index, _unread(path, sha256_of(path), FileProblem(code, detail), lang, select or settings.select,
                              ignore + settings.ignore, settings))
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
                        lost(worker, "XF016", _death(worker.process))
                        continue
                    finish(index, result)
                    worker.job = None
                    if pending:
                        worker.give(pending.pop(), timeout)
                elif time.monotonic() >= worker.deadline:
                    lost(worker, "XF017", f"{timeout:g} s")
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
        report.in_language(resolve_lang(report.common_lang()))
    return report


def _preload() -> None:
    """Import what the workers need before forking them, so that each starts with it loaded."""
    import python_calamine  # noqa: F401

    from ..core import rules  # noqa: F401
    from ..io import reader  # noqa: F401
