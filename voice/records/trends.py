"""A person's trends over days: the check-in answers (mood 0-10, sleep, energy) and the voice
measures relative to their usual, one point per day, with the days that had a safety event;
and the same as an accessible SVG chart (titles, a description, distinct markers and dash
patterns: readable without colour). Pure functions over what was read back."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape
from statistics import fmean

from voice.records.reader import CheckinDetail

# The voice measures shown, by the name their cues carry: (key, label).
VOICE_MEASURES: tuple[tuple[str, str], ...] = (
    ("activation", "Activation"),
    ("speaking_rate_words_per_second", "Speaking rate"),
    ("intensity_mean_db", "Loudness"),
    ("pitch_movement_semitones_per_second", "Pitch movement"),
)
ANSWERS: tuple[str, ...] = ("mood", "sleep", "energy")


@dataclass(frozen=True, slots=True)
class Day:
    """One day's values (``None`` where nothing was said or measured)."""

    day: date
    answers: dict[str, float | str | None]
    voice: dict[str, float | None]
    safety: bool

    def to_json(self) -> dict[str, object]:
        return {
            "date": self.day.isoformat(),
            **self.answers,
            "activation": self.voice["activation"],
            "rate": self.voice["speaking_rate_words_per_second"],
            "loudness": self.voice["intensity_mean_db"],
            "pitch": self.voice["pitch_movement_semitones_per_second"],
            "safety": self.safety,
        }


def local_date(at: datetime, offset: timedelta) -> date:
    """The date at ``at`` for someone whose clock is ``offset`` ahead of UTC."""
    return (at + offset).date()


def daily(details: Iterable[CheckinDetail], offset: timedelta = timedelta(0)) -> list[Day]:
    """One ``Day`` per local date with a check-in (``offset``: the person's clock ahead of
    UTC), oldest first; the later check-in's answers win on a day with two, and voice
    measures are averaged over the day's turns."""
    by_day: dict[date, list[CheckinDetail]] = {}
    for detail in sorted(details, key=lambda d: d.listing.started_at):
        by_day.setdefault(local_date(detail.listing.started_at, offset), []).append(detail)
    days = []
    for day, found in sorted(by_day.items()):
        answers: dict[str, float | str | None] = dict.fromkeys(ANSWERS)
        values: dict[str, list[float]] = {key: [] for key, _ in VOICE_MEASURES}
        for detail in found:
            items = (detail.summary or {}).get("items") or {}
            for name in ANSWERS:
                if isinstance(items.get(name), int | float | str) and items[name] is not None:
                    answers[name] = items[name]
            for turn in detail.turns:
                cues = turn.cues or {}
                if isinstance(cues.get("activation"), int | float):
                    values["activation"].append(float(cues["activation"]))
                relative = cues.get("relative") or {}
                for key, _ in VOICE_MEASURES[1:]:
                    if isinstance(relative.get(key), int | float):
                        values[key].append(float(relative[key]))
        voice = {key: round(fmean(v), 3) if v else None for key, v in values.items()}
        safety = any(detail.safety for detail in found)
        days.append(Day(day, answers, voice, safety))
    return days


# --- the chart --------------------------------------------------------------------------

_WIDTH, _PANEL, _GAP, _LEFT, _RIGHT, _TOP = 760, 170, 50, 56, 250, 30
_STYLES = (("solid", "", "circle"), ("dashed", "6 4", "square"), ("dotted", "2 3", "triangle"),
           ("long dash", "12 4 2 4", "diamond"))  # fmt: skip


def chart_svg(days: list[Day], *, first: date, last: date) -> str:
    """Two panels over ``first``..``last``: mood (0-10), and the voice measures relative to
    the person's usual (0 is usual); safety-event days marked with a labelled band."""
    height = _TOP + 2 * _PANEL + _GAP + 40
    span = max(1, (last - first).days)
    plot_w = _WIDTH - _LEFT - _RIGHT

    def x(day: date) -> float:
        return _LEFT + plot_w * (day - first).days / span

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height}" '
        f'role="img" aria-labelledby="trend-title trend-desc" class="trend-chart" '
        'font-family="sans-serif" fill="currentColor">',
        '<title id="trend-title">Check-in trends</title>',
        f'<desc id="trend-desc">{escape(_describe(days, first, last))}</desc>',
    ]
    for day in days:
        if day.safety:
            out.append(
                f'<rect x="{x(day.day) - 4:.1f}" y="{_TOP}" width="8" '
                f'height="{2 * _PANEL + _GAP}" class="safety-day" fill="#f2c14e" '
                f'fill-opacity="0.35"><title>{day.day.isoformat()}: a safety response was '
                "given</title></rect>"
            )
    mood = [(d.day, d.answers["mood"]) for d in days]
    mood_points = [(x(day), float(v)) for day, v in mood if isinstance(v, int | float)]
    out += _panel("Mood (0 to 10)", _TOP, 0.0, 10.0, [("Mood", mood_points, 0)], first, last)
    series = []
    for index, (key, label) in enumerate(VOICE_MEASURES):
        points = [(x(d.day), v) for d in days if (v := d.voice[key]) is not None]
        series.append((label, points, index))
    top = _TOP + _PANEL + _GAP
    out += _panel("Voice compared with usual (0 = usual)", top, -3.0, 3.0, series, first, last)
    out.append("</svg>")
    return "\n".join(out)


def _panel(
    title: str,
    top: int,
    low: float,
    high: float,
    series: list[tuple[str, list[tuple[float, float]], int]],
    first: date,
    last: date,
) -> list[str]:
    def y(value: float) -> float:
        clipped = min(high, max(low, value))
        return top + _PANEL * (high - clipped) / (high - low)

    right = _WIDTH - _RIGHT
    out = [
        f'<g class="panel"><text x="{_LEFT}" y="{top - 8}" font-size="13" '
        f'font-weight="bold">{escape(title)}</text>',
        f'<rect x="{_LEFT}" y="{top}" width="{right - _LEFT}" height="{_PANEL}" fill="none" '
        'stroke="#888"/>',
    ]
    for tick in (low, (low + high) / 2, high):
        out.append(
            f'<text x="{_LEFT - 6}" y="{y(tick) + 4:.1f}" font-size="11" '
            f'text-anchor="end">{tick:g}</text>'
        )
    out.append(
        f'<text x="{_LEFT}" y="{top + _PANEL + 14}" font-size="11">{first.isoformat()}</text>'
        f'<text x="{right}" y="{top + _PANEL + 14}" font-size="11" '
        f'text-anchor="end">{last.isoformat()}</text>'
    )
    for row, (label, points, style) in enumerate(series):
        name, dash, marker = _STYLES[style]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{y(v):.1f}" for px, v in points)
            dashes = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<polyline points="{path}" fill="none" stroke="currentColor" '
                f'stroke-width="2"{dashes}/>'
            )
        for px, v in points:
            out.append(_marker(marker, px, y(v), f"{label}: {v:g}"))
        ly = top + 16 + 18 * row
        out.append(_marker(marker, right + 14, ly - 4, label))
        out.append(
            f'<text x="{right + 24}" y="{ly}" font-size="12">{escape(label)} ({name})</text>'
        )
    out.append("</g>")
    return out


def _marker(kind: str, x: float, y: float, label: str) -> str:
    tip = f"<title>{escape(label)}</title>"
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="currentColor">{tip}</circle>'
    if kind == "square":
        box = f'x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8"'
        return f'<rect {box} fill="currentColor">{tip}</rect>'
    if kind == "triangle":
        pts = f"{x:.1f},{y - 5:.1f} {x - 5:.1f},{y + 4:.1f} {x + 5:.1f},{y + 4:.1f}"
        return f'<polygon points="{pts}" fill="currentColor">{tip}</polygon>'
    pts = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
    return f'<polygon points="{pts}" fill="currentColor">{tip}</polygon>'


def _describe(days: list[Day], first: date, last: date) -> str:
    moods = [v for d in days if isinstance(v := d.answers["mood"], int | float)]
    flagged = sum(d.safety for d in days)
    count = f"{len(days)} day{'' if len(days) == 1 else 's'}"
    text = f"{count} with a check-in from {first.isoformat()} to {last.isoformat()}."
    if moods:
        text += f" Mood from {min(moods):g} to {max(moods):g}, latest {moods[-1]:g}."
    if flagged:
        text += f" {flagged} {'day' if flagged == 1 else 'days'} had a safety response."
    return text
