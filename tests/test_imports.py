"""``import rai_charts`` stays light: no plotting, widget or server library at import time."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ["plotly", "ipywidgets", "starlette", "uvicorn", "fastapi", "httpx", "kaleido", "IPython"]


@pytest.mark.parametrize("module", ["rai_charts", "rai_charts.models"])
def test_import_loads_no_heavy_library(module: str) -> None:
    code = (
        f"import sys, {module}; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"


def test_models_import_nothing_else_of_the_package() -> None:
    code = (
        "import sys, rai_charts.models; "
        "print(sorted(m for m in sys.modules if m.startswith('rai_charts.') "
        "and not m.startswith('rai_charts.models')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"
