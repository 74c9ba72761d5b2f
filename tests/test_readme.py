"""The README's tour of the models runs and prints what the README shows."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).parent.parent / "README.md"
TOUR = "## A tour of the models"
BLOCK = re.compile(r"```(python|text)\n(.*?)```", re.DOTALL)


def tour_blocks() -> list[tuple[str, str]]:
    """(python code, text it prints) pairs of the tour section, in order."""
    text = README.read_text()
    section = text[text.index(TOUR) :]
    section = section[: section.index("\n## ", len(TOUR))]
    blocks = [(kind, body) for kind, body in BLOCK.findall(section)]
    kinds = [kind for kind, _ in blocks]
    assert kinds == ["python", "text"] * (len(blocks) // 2), kinds
    return [(blocks[index][1], blocks[index + 1][1]) for index in range(0, len(blocks), 2)]


def without_links(printed: str) -> str:
    """Printed text without pydantic's documentation links (they name its version)."""
    return "".join(
        line for line in printed.splitlines(keepends=True) if "errors.pydantic.dev" not in line
    )


def test_readme_tour_prints_what_it_shows() -> None:
    pairs = tour_blocks()
    assert len(pairs) >= 3
    namespace: dict[str, object] = {}
    for code, shown in pairs:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, str(README), "exec"), namespace)
        assert without_links(printed.getvalue()) == shown
