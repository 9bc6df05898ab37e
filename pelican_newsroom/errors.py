"""Problems found in user content, and the report that decides what they cost.

Parsers raise :class:`NewsroomError` without knowing which file they read; the
model attaches the file and turns it into a :class:`Problem`.  The build and
the ``check`` command collect problems in a :class:`Report`, which applies
``NEWSROOM_STRICT``: errors fail the build (all of them listed at once) or are
downgraded to warnings.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]

logger = logging.getLogger("pelican_newsroom")

#: Longest value quoted back in a message; hostile inputs can be megabytes.
MAX_QUOTED = 120


def quote_value(value: object) -> str:
    """``repr`` of a value, shortened so a huge input gives a readable message."""
    text = repr(value)
    if len(text) > MAX_QUOTED:
        text = text[: MAX_QUOTED - 5] + "…" + text[-4:]
    return text


class NewsroomError(ValueError):
    """A value that cannot be used, and what was expected instead.

    Raised by the parsers (``dates``, ``chain``, ``urls``), which do not know
    the file being read; :meth:`Problem.from_error` adds it.
    """

    def __init__(self, value: object, expected: str, severity: Severity = "error") -> None:
        super().__init__(expected)
        self.value = value
        self.expected = expected
        self.severity: Severity = severity


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of one file."""

    file: str
    field: str
    value: str
    expected: str
    severity: Severity = "error"

    @classmethod
    def from_error(cls, file: str, field: str, error: NewsroomError) -> Problem:
        return cls(file, field, quote_value(error.value), error.expected, error.severity)

    @property
    def message(self) -> str:
        if self.value:
            return f"{self.value}: {self.expected}"
        return self.expected

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """One item of ``check --format json``'s ``problems`` list."""
        item = asdict(self)
        del item["expected"]
        item["message"] = self.message
        return item


class NewsroomBuildError(Exception):
    """Raised at the end of a strict build that found errors; the message lists them all.

    A library caller of ``Pelican(settings).run()`` gets this exception.  Pelican's
    command line logs it and exits with ``exitcode``; :class:`WithoutTraceback` keeps
    its log line to the message alone.
    """

    exitcode = 1

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(
            f"pelican-newsroom found {count} {noun} in the content "
            f"(set NEWSROOM_STRICT = False to publish anyway):\n{lines}"
        )


@dataclass
class Report:
    """All problems of one build or one ``check`` run, in a stable order."""

    strict: bool = True
    problems: list[Problem] = field(default_factory=list)

    def extend(self, problems: Iterable[Problem]) -> None:
        seen = set(self.problems)
        for problem in problems:
            kept = problem
            if not self.strict and problem.severity == "error":
                kept = Problem(
                    problem.file, problem.field, problem.value, problem.expected, "warning"
                )
            if kept not in seen:
                seen.add(kept)
                self.problems.append(kept)

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(self.problems, key=lambda p: (p.file, p.field, p.value)))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def log_warnings(self) -> None:
        for problem in self:
            if problem.severity == "warning":
                logger.warning("%s", problem)

    def raise_for_errors(self) -> None:
        if self.errors:
            raise NewsroomBuildError(self.errors)


class WithoutTraceback(logging.Filter):
    """Log a :class:`NewsroomBuildError` as its message alone, without the traceback.

    ``pelican``'s ``main()`` logs every exception out of a build with
    ``exc_info=True``: for a content error, that is a traceback through blinker
    and the plugin (which is not where the problem is) and the problem list a
    second time, under it.  ``pelican --debug`` still prints the traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, NewsroomBuildError):
            record.msg, record.args = "%s", (str(error),)
            record.exc_info = record.exc_text = None
        return True


#: The one instance, so adding it to a logger again (a second build, a second load) is a no-op.
WITHOUT_TRACEBACK = WithoutTraceback()


def display_path(path: str) -> str:
    """``path`` relative to the working directory when inside it: short, clickable messages."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative
