"""The sandbox serves the wire format itself: it never loads the client package."""

from __future__ import annotations

import json
import subprocess
import sys


def _loaded_after(statement: str, prefixes: tuple[str, ...]) -> list[str]:
    code = (
        f"import json, sys; {statement}; "
        f"print(json.dumps(sorted(m for m in sys.modules if m.startswith({prefixes!r}))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded: list[str] = json.loads(result.stdout)
    return loaded


def test_the_sandbox_never_imports_the_client() -> None:
    statement = "import rai_charts.sandbox as s; s.start().stop()"
    assert _loaded_after(statement, ("rai_charts.api",)) == []


def test_the_command_line_loads_the_server_only_for_the_sandbox_command() -> None:
    heavy = ("starlette", "uvicorn", "rai_charts.sandbox")
    assert _loaded_after("import rai_charts._cli", heavy) == []
