"""The README's runnable sections run and print what the README shows."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).parent.parent / "README.md"
SECTIONS = {"## A tour of the models": 3, "## Local API server": 1}
"""Sections whose python blocks each print the text block that follows: heading, how many."""
BLOCK = re.compile(r"```(python|text)\n(.*?)```", re.DOTALL)


def section_blocks(heading: str) -> list[tuple[str, str]]:
    """(python code, text it prints) pairs of one section, in order."""
    text = README.read_text()
    section = text[text.index(heading) :]
    end = section.find("\n## ", len(heading))
    section = section if end < 0 else section[:end]
    blocks = [(kind, body) for kind, body in BLOCK.findall(section)]
    kinds = [kind for kind, _ in blocks]
    assert kinds == ["python", "text"] * (len(blocks) // 2), kinds
    return [(blocks[index][1], blocks[index + 1][1]) for index in range(0, len(blocks), 2)]


def without_links(printed: str) -> str:
    """Printed text without pydantic's documentation links (they name its version)."""
    return "".join(
        line for line in printed.splitlines(keepends=True) if "errors.pydantic.dev" not in line
    )


@pytest.mark.parametrize("heading", list(SECTIONS))
def test_readme_section_prints_what_it_shows(heading: str) -> None:
    pairs = section_blocks(heading)
    assert len(pairs) >= SECTIONS[heading]
    namespace: dict[str, object] = {}
    for code, shown in pairs:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, str(README), "exec"), namespace)
        assert without_links(printed.getvalue()) == shown
