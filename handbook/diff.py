"""Readable diffs: changed lines with the changed words marked, for people, not programmers.

Lines are matched first; within a changed line the words are compared, so a reader sees
"Tyst efter <del>22</del><ins>23</ins>" instead of two whole lines. Unchanged stretches far from
a change are folded into "N unchanged lines". No hunk headers.
"""

import difflib
import re
from dataclasses import dataclass, field

# A number with its separators (22.00, 1 000 is two), a word (letters incl. å, ä, ö), a run of
# spaces, or one other character.
_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|\w+|\s+|[^\w\s]")
# Below this share of equal words a changed line is shown as removed + added instead.
_PAIRING_RATIO = 0.35


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "added" or "removed"
    text: str


@dataclass(frozen=True)
class DiffRow:
    kind: str  # "same", "changed", "added", "removed" or "skipped"
    segments: list[Segment] = field(default_factory=list)
    skipped: int = 0

    @property
    def text(self) -> str:
        return "".join(segment.text for segment in self.segments)


@dataclass(frozen=True)
class DiffStats:
    added_words: int
    removed_words: int


def _tokens(line: str) -> list[str]:
    return _TOKEN.findall(line)


def word_segments(old: str, new: str) -> list[Segment]:
    """One line against another, word by word."""
    a, b = _tokens(old), _tokens(new)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", "".join(a[i1:i2])))
            continue
        if tag in {"delete", "replace"}:
            segments.append(Segment("removed", "".join(a[i1:i2])))
        if tag in {"insert", "replace"}:
            segments.append(Segment("added", "".join(b[j1:j2])))
    return _merged(segments)


def _merged(segments: list[Segment]) -> list[Segment]:
    """Neighbouring segments of one kind joined; a lone space between two changes joins them."""
    out: list[Segment] = []
    for segment in segments:
        if not segment.text:
            continue
        if out and out[-1].kind == segment.kind:
            out[-1] = Segment(segment.kind, out[-1].text + segment.text)
        else:
            out.append(segment)
    return out


def _line_ratio(old: str, new: str) -> float:
    """How alike two lines are in words (spaces and punctuation do not count)."""
    a, b = re.findall(r"\w+", old), re.findall(r"\w+", new)
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _changed_rows(old_lines: list[str], new_lines: list[str]) -> list[DiffRow]:
    rows: list[DiffRow] = []
    for index in range(max(len(old_lines), len(new_lines))):
        old = old_lines[index] if index < len(old_lines) else None
        new = new_lines[index] if index < len(new_lines) else None
        if old is not None and new is not None and _line_ratio(old, new) >= _PAIRING_RATIO:
            rows.append(DiffRow("changed", word_segments(old, new)))
            continue
        if old is not None:
            rows.append(DiffRow("removed", [Segment("removed", old)]))
        if new is not None:
            rows.append(DiffRow("added", [Segment("added", new)]))
    # Removed lines first, then added ones, as a reader expects of a replaced block.
    rows.sort(key=lambda row: {"changed": 0, "removed": 0, "added": 1}[row.kind])
    return rows


def word_diff(old: str, new: str, *, context: int = 2) -> list[DiffRow]:
    """The changes from old to new, with `context` unchanged lines around each; [] if equal."""
    old_lines, new_lines = (old or "").splitlines(), (new or "").splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    rows: list[DiffRow] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(DiffRow("same", [Segment("same", line)]) for line in old_lines[i1:i2])
        else:
            rows.extend(_changed_rows(old_lines[i1:i2], new_lines[j1:j2]))
    if all(row.kind == "same" for row in rows):
        return []
    return _folded(rows, context)


def _folded(rows: list[DiffRow], context: int) -> list[DiffRow]:
    changes = [index for index, row in enumerate(rows) if row.kind != "same"]
    keep = {
        index
        for change in changes
        for index in range(change - context, change + context + 1)
        if 0 <= index < len(rows)
    }
    out: list[DiffRow] = []
    hidden: list[DiffRow] = []
    for index, row in enumerate(rows + [None]):
        if row is not None and index not in keep:
            hidden.append(row)
            continue
        # Folding a single line saves nothing: it is shown instead.
        if len(hidden) == 1:
            out.extend(hidden)
        elif hidden:
            out.append(DiffRow("skipped", skipped=len(hidden)))
        hidden = []
        if row is not None:
            out.append(row)
    return out


def diff_stats(rows: list[DiffRow]) -> DiffStats:
    """How many words were added and removed, for a one-line summary."""
    added = removed = 0
    for row in rows:
        for segment in row.segments:
            words = len(re.findall(r"\w+", segment.text))
            if segment.kind == "added":
                added += words
            elif segment.kind == "removed":
                removed += words
    return DiffStats(added, removed)
