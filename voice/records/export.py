"""A person's copy of everything kept: ``checkins.json`` (every check-in: date, turns with
timestamps and words, cues, answers, summary, safety events), each recording as a WAV (the
person on the left channel, the assistant on the right, one timeline), the safety plan, and
``manifest.json`` with the sha256 of every file. Files are written readable by the owner
only: they are health data in the clear."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from voice.records.documents import SAFETY_PLAN, Documents
from voice.records.reader import CheckinReader
from voice.records.timeline import wav_bytes

FORMAT = "voice-export/1"


def export_person(
    reader: CheckinReader, documents: Documents, person: str, now: datetime
) -> dict[str, bytes]:
    """Every file of the export, by relative path (``manifest.json`` included)."""
    files: dict[str, bytes] = {}
    checkins: list[dict[str, Any]] = []
    for listing in reversed(reader.listing(person)):
        detail = reader.detail(person, listing.id, now)
        entry: dict[str, Any] = {
            "id": listing.id,
            "started_at": listing.started_at.isoformat(),
            "turns": [
                {
                    "turn": t.turn,
                    "speaker": t.speaker,
                    "at_ms": t.at_ms,
                    "text": t.text,
                    "cues": t.cues,
                }
                for t in detail.turns
            ],
            "summary": detail.summary,
            "safety_events": list(detail.safety),
            "recording": None,
        }
        tracks = reader.tracks(person, listing.id, now)
        if tracks is not None:
            name = f"recordings/{listing.started_at:%Y-%m-%d}-{listing.id}.wav"
            files[name] = wav_bytes(tracks)
            entry["recording"] = {
                "file": name,
                "seconds": round(tracks.seconds, 3),
                "channels": ["person", "assistant"],
            }
        checkins.append(entry)
    document: dict[str, Any] = {
        "format": FORMAT,
        "person": person,
        "exported_at": now.isoformat(),
        "checkins": checkins,
        "safety_plan": documents.read(person, SAFETY_PLAN),
    }
    files["checkins.json"] = _json(document)
    manifest = {
        "format": FORMAT,
        "files": {
            path: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
            for path, data in sorted(files.items())
        },
    }
    files["manifest.json"] = _json(manifest)
    return files


def write_export(files: dict[str, bytes], directory: Path) -> None:
    """Write the export into ``directory`` (created 0700; it must be empty or new)."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise FileExistsError("the export folder must be empty")
    for relative, data in files.items():
        path = directory / relative
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)


def _json(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
