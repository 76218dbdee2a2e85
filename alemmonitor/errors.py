"""Typed errors at the domain's boundaries.

Everything here is "the world's fault" (a bad file, a wrong entry, an impossible sequence): the
caller tells the user what is wrong and carries on. Our own bugs stay ordinary exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass


class AlemMonitorError(Exception):
    """Base of every error the user is meant to read."""


class StoreError(AlemMonitorError):
    """The database file cannot be used: not SQLite, corrupt, read-only, newer, busy, full."""


class DataFileError(AlemMonitorError):
    """A data file is malformed; `problems` lists each as 'file:line: field: message'."""

    what = "data file"
    subject = "data"

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path} is not a valid {self.what}:\n" + "\n".join(problems))


class ProtocolFileError(DataFileError):
    """A protocol file is malformed."""

    what = "protocol file"
    subject = "protocol"


class SequenceError(AlemMonitorError):
    """An event that cannot happen now: resume while running, an event in the future, ..."""


@dataclass(frozen=True)
class FieldProblem:
    """One wrong value: where it is (line, field) and why it is refused."""

    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.field}: {self.message}"


class EntryError(AlemMonitorError):
    """An entry (typed or imported) with one or more wrong values; nothing was stored."""

    def __init__(self, problems: list[FieldProblem], source: str | None = None) -> None:
        self.problems = problems
        self.source = source
        head = f"{source}: " if source else ""
        super().__init__(head + "; ".join(str(p) for p in problems))
