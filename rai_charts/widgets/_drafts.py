"""Drafts: the editor's analysis saved after every change, so a kernel crash loses at most the
last gesture.

A draft file is JSON: the analysis in wire form and, once published, the server's id and the
analysis as the server last acknowledged it (so syncing resumes with only the changes).
Writes go through a temporary file and a rename: a crash mid-write leaves the previous draft.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rai_charts.models import Analysis, AnalysisDetail

DRAFT_DIRECTORY = Path(".rai_drafts")
"""Where drafts go unless ``draft_path`` says otherwise (relative to the working directory)."""

DRAFT_FORMAT = 1
"""Version of the draft file layout."""


@dataclass(frozen=True)
class Draft:
    """What a draft file holds."""

    analysis: Analysis
    """The analysis being edited."""
    analysis_id: str | None = None
    """The server's id, once published."""
    acknowledged: Analysis | None = None
    """The analysis as the server last acknowledged it, once published."""


def default_draft_path(analysis: Analysis, *, given: bool) -> Path:
    """The draft file of an editor opened on ``analysis``.

    A published analysis has one draft per server id; an analysis passed in has one per
    content it was opened with; a new analysis (``given=False``) has one per symbol and
    timeframe, so reopening a notebook finds the draft it left.
    """
    if isinstance(analysis, AnalysisDetail):
        name = analysis.analysis_id
    else:
        metadata = analysis.metadata
        name = f"{metadata.symbol}-{metadata.timeframe}"
        if given:
            digest = hashlib.sha256(analysis.to_json().encode()).hexdigest()[:10]
            name = f"{name}-{digest}"
    return DRAFT_DIRECTORY / f"{re.sub(r'[^A-Za-z0-9._-]+', '-', name).strip('-')}.json"


def _wire_json(analysis: Analysis | None) -> str:
    # pydantic's own JSON writer: the same text as to_json(), several times faster.
    if analysis is None:
        return "null"
    return analysis.model_dump_json(by_alias=True, exclude_none=True)


def save_draft(path: Path, draft: Draft) -> None:
    """Write ``draft`` to ``path`` atomically (directories made as needed)."""
    header: dict[str, Any] = {
        "format": DRAFT_FORMAT,
        "savedAt": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "analysisId": draft.analysis_id,
    }
    text = (
        json.dumps(header)[:-1]
        + f', "analysis": {_wire_json(draft.analysis)}'
        + f', "acknowledged": {_wire_json(draft.acknowledged)}}}\n'
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.partial")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def load_draft(path: Path) -> Draft | None:
    """The draft at ``path``; ``None`` when there is none.

    Raises ``ValueError`` naming the file when it exists but is not a readable draft.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        document = json.loads(text)
        if not isinstance(document, dict) or document.get("format") != DRAFT_FORMAT:
            raise ValueError(f"not a draft of format {DRAFT_FORMAT}")
        acknowledged = document.get("acknowledged")
        return Draft(
            analysis=Analysis.from_wire(document["analysis"]),
            analysis_id=document.get("analysisId"),
            acknowledged=Analysis.from_wire(acknowledged) if acknowledged else None,
        )
    except (ValueError, KeyError, TypeError, ValidationError) as error:
        reason = str(error).splitlines()[0]
        raise ValueError(f"draft {path} cannot be read: {reason}") from None


def set_aside(path: Path) -> Path:
    """Rename an unreadable draft out of the way (never delete what someone wrote)."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.unreadable-{stamp}")
    os.replace(path, target)
    return target
