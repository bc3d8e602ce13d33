"""How a reader's messages tell the user to fix what it found, in the means the caller has.

`uflpa screen` and `uflpa watch add` have `--column NAME=HEADER` and `--encoding`; `uflpa trace`
has only `--encoding`; `compare --pairs`, `evidence build` and a Spark DataFrame have neither. A
hint naming an option the command lacks sends the user to an error, so each caller says which
it has and the readers phrase the fix accordingly (renaming a header, saving the file as UTF-8).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Hints:
    """Which fixes the caller offers: `column`, a way to say which header holds a column
    (`--column NAME=HEADER`); `encoding`, a way to name a file's encoding (`--encoding`)."""

    column: bool = True
    encoding: bool = True

    def map_column(self, canonical: str, guess: str | None = None) -> str:
        """Words after "say which header holds it": the option, or renaming the header."""
        if self.column:
            return f'with --column {canonical}="{guess or "HEADER"}"'
        if guess:
            return f"by renaming {guess!r} to {canonical!r}"
        return f"by renaming that header to {canonical!r}"

    def choose_column(self, canonical: str) -> str:
        """Words after "choose one": the option, or renaming the others."""
        if self.column:
            return f"with --column {canonical}=HEADER"
        return f"by renaming or removing the others (only a header {canonical!r} is then read)"

    def name_encoding(self, codec: str | None = None) -> str:
        """Words after "if that is wrong, ": naming the encoding, or saving the file as UTF-8."""
        if self.encoding:
            return (
                f"name it with --encoding {codec}" if codec else "name the encoding with --encoding"
            )
        return "save the file as UTF-8 and give it again"


#: A caller with both options (`uflpa screen`, `uflpa watch add`).
ALL = Hints()
#: `uflpa trace`: --encoding, no --column.
TRACE = Hints(column=False)
#: A caller with neither (`uflpa compare --pairs`, `uflpa evidence build`, a Spark DataFrame).
NONE = Hints(column=False, encoding=False)
