"""Measuring the safety detector on a labelled CSV (``voice eval-safety``), as pure functions.

Labels are ``crisis``, ``concern`` or ``none``; an optional category column gives
per-category figures. The report is one JSON object: ``crisis_recall`` (share of crisis
items detected as crisis), ``false_positive_rate`` (share of none items flagged as crisis or
concern), ``crisis_false_positive_rate`` (none items called a crisis), ``crisis_flagged``
(crisis items flagged at all), ``n``, per-category figures, per-``who`` figures where the
file says whose risk each row is about, and every disagreement with its text.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from voice.errors import VoiceError
from voice.safety import SafetyLevel, SafetyVerdict, detect


class EvaluationError(VoiceError):
    """A labelled file that cannot be evaluated (missing column, unknown label...)."""

    code = "bad_eval_data"


@dataclass(frozen=True, slots=True)
class LabelledRow:
    """One labelled utterance; ``line`` is its line in the file, for error messages."""

    text: str
    label: SafetyLevel
    category: str | None = None
    line: int = 0
    who: str | None = None
    """Whose risk and when (``self_now``, ``self_past``, ``other``, ``topic``, ``figurative``,
    ``ordinary``), where the file has a ``who`` column."""


def read_labelled_csv(
    path: Path,
    *,
    text_column: str = "text",
    label_column: str = "label",
    category_column: str | None = "category",
) -> list[LabelledRow]:
    """Read a labelled CSV; raises EvaluationError on a missing column or an unknown label.

    The category column is optional: when ``category_column`` is not in the file, rows have
    no category.
    """
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return parse_labelled_rows(
                csv.DictReader(handle),
                source=str(path),
                text_column=text_column,
                label_column=label_column,
                category_column=category_column,
            )
    except OSError as exc:
        raise EvaluationError(f"{path}: cannot be read ({exc.__class__.__name__})") from None
    except UnicodeDecodeError:
        raise EvaluationError(f"{path}: not UTF-8 text") from None
    except csv.Error as exc:
        raise EvaluationError(f"{path}: not valid CSV ({exc})") from None


def parse_labelled_rows(
    reader: csv.DictReader[str],
    *,
    source: str = "input",
    text_column: str = "text",
    label_column: str = "label",
    category_column: str | None = "category",
) -> list[LabelledRow]:
    """Rows from a ``csv.DictReader``, checked as ``read_labelled_csv`` does."""
    columns = list(reader.fieldnames or [])
    for name, option in ((text_column, "--text-column"), (label_column, "--label-column")):
        if name not in columns:
            found = ", ".join(columns) if columns else "none"
            raise EvaluationError(
                f"{source}: no column {name!r} (columns: {found}); choose one with {option}"
            )
    has_category = category_column is not None and category_column in columns
    has_who = "who" in columns
    rows: list[LabelledRow] = []
    allowed = ", ".join(level.value for level in SafetyLevel)
    for line, record in enumerate(reader, start=2):
        text = (record.get(text_column) or "").strip()
        raw_label = (record.get(label_column) or "").strip().lower()
        if not text and not raw_label:
            continue
        try:
            label = SafetyLevel(raw_label)
        except ValueError:
            raise EvaluationError(
                f"{source}: line {line}: unknown label {raw_label!r} (expected {allowed})"
            ) from None
        if not text:
            raise EvaluationError(f"{source}: line {line}: empty {text_column!r}")
        category = None
        if has_category and category_column is not None:
            category = (record.get(category_column) or "").strip() or None
        who = (record.get("who") or "").strip() or None if has_who else None
        rows.append(LabelledRow(text, label, category, line, who))
    if not rows:
        raise EvaluationError(f"{source}: no labelled rows")
    return rows


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def evaluate(
    rows: Iterable[LabelledRow],
    detector: Callable[[str], SafetyVerdict] = detect,
) -> dict[str, object]:
    """Run the detector over labelled rows and measure it (see the module docstring).

    Also reported: ``concern_recall`` (concern items flagged at least as concern),
    ``flagged_recall`` (crisis or concern items flagged at all), ``confusion``
    (expected -> got -> count) and ``by_rule`` (how often each rule decided).
    """
    counts: Counter[tuple[SafetyLevel, SafetyLevel]] = Counter()
    per_category: dict[str, Counter[str]] = {}
    per_who: dict[str, Counter[str]] = {}
    by_rule: Counter[str] = Counter()
    misses: list[dict[str, object]] = []
    n = 0
    for row in rows:
        n += 1
        got = detector(row.text)
        counts[(row.label, got.level)] += 1
        by_rule[got.rule or "-"] += 1
        if row.category:
            _count(per_category.setdefault(row.category, Counter()), row.label, got.level)
        if row.who:
            _count(per_who.setdefault(row.who, Counter()), row.label, got.level)
        if got.level is not row.label:
            misses.append(
                {
                    "line": row.line,
                    "text": row.text,
                    "expected": row.label.value,
                    "got": got.level.value,
                    "expected_category": row.category,
                    "got_category": got.category.value if got.category else None,
                    "rule": got.rule,
                }
            )
    report = _report(n, counts, per_category, by_rule, misses)
    report["per_who"] = {
        name: {
            "n": tally["n"],
            "as_crisis": _share(tally["as_crisis"], tally["n"]),
            "flagged": _share(tally["flagged"], tally["n"]),
            "expected": _expected(tally),
        }
        for name, tally in sorted(per_who.items())
    }
    return report


def _count(tally: Counter[str], expected: SafetyLevel, got: SafetyLevel) -> None:
    """Add one row to a group's tally (a category, or who the words are about)."""
    tally["n"] += 1
    tally[f"expected_{expected.value}"] += 1
    tally["agree"] += got is expected
    tally["crisis_detected"] += expected is SafetyLevel.CRISIS and got is SafetyLevel.CRISIS
    tally["as_crisis"] += got is SafetyLevel.CRISIS
    tally["flagged"] += got is not SafetyLevel.NONE


def _expected(tally: Counter[str]) -> dict[str, int]:
    return {
        level.value: tally[f"expected_{level.value}"]
        for level in SafetyLevel
        if tally[f"expected_{level.value}"]
    }


def _report(
    n: int,
    counts: Mapping[tuple[SafetyLevel, SafetyLevel], int],
    per_category: Mapping[str, Counter[str]],
    by_rule: Counter[str],
    misses: list[dict[str, object]],
) -> dict[str, object]:
    crisis, concern, none = SafetyLevel.CRISIS, SafetyLevel.CONCERN, SafetyLevel.NONE

    def total(expected: SafetyLevel) -> int:
        return sum(counts.get((expected, got), 0) for got in SafetyLevel)

    n_crisis, n_concern, n_none = total(crisis), total(concern), total(none)
    flagged_none = counts.get((none, crisis), 0) + counts.get((none, concern), 0)
    return {
        "n": n,
        "n_crisis": n_crisis,
        "n_concern": n_concern,
        "n_none": n_none,
        "crisis_recall": _share(counts.get((crisis, crisis), 0), n_crisis),
        "false_positive_rate": _share(flagged_none, n_none),
        "crisis_false_positive_rate": _share(counts.get((none, crisis), 0), n_none),
        "crisis_flagged": _share(n_crisis - counts.get((crisis, none), 0), n_crisis),
        "concern_recall": _share(
            counts.get((concern, concern), 0) + counts.get((concern, crisis), 0), n_concern
        ),
        "flagged_recall": _share(
            n_crisis + n_concern - counts.get((crisis, none), 0) - counts.get((concern, none), 0),
            n_crisis + n_concern,
        ),
        "confusion": {
            e.value: {g.value: counts.get((e, g), 0) for g in SafetyLevel} for e in SafetyLevel
        },
        "per_category": {
            name: {
                "n": tally["n"],
                "agreement": _share(tally["agree"], tally["n"]),
                "crisis_recall": _share(tally["crisis_detected"], tally["expected_crisis"]),
                "flagged": _share(tally["flagged"], tally["n"]),
                "expected": _expected(tally),
            }
            for name, tally in sorted(per_category.items())
        },
        "by_rule": dict(sorted(by_rule.items())),
        "misses": misses,
    }


def report_json(report: Mapping[str, object]) -> str:
    """The report as one JSON object (what ``voice eval-safety`` prints)."""
    return json.dumps(report, indent=2, ensure_ascii=False)


def evaluate_file(
    path: Path,
    detector: Callable[[str], SafetyVerdict] = detect,
    *,
    text_column: str = "text",
    label_column: str = "label",
) -> dict[str, object]:
    """Read and evaluate a labelled CSV in one call (for the CLI)."""
    rows = read_labelled_csv(path, text_column=text_column, label_column=label_column)
    return evaluate(rows, detector)
