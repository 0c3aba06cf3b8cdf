"""What a parse reports: a list it cannot read, or a line it skipped."""

from __future__ import annotations

from dataclasses import dataclass


class ParseError(ValueError):
    """A list that cannot be read at all; names the file and, where known, the line."""

    def __init__(
        self, message: str, *, name: str | None = None, line: int | None = None
    ):
        self.message = message
        self.name = name
        self.line = line
        where = name or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")

    def __reduce__(self):
        # Keyword-only arguments: pickle (to and from a parsing process) by them.
        return (_parse_error, (self.message, self.name, self.line))


def _parse_error(message, name, line) -> ParseError:
    return ParseError(message, name=name, line=line)


@dataclass(frozen=True, slots=True)
class ParseWarning:
    line: int
    message: str
