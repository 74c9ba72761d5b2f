"""The ``rai-charts`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ._exceptions import RaiChartsError


def _demo(arguments: argparse.Namespace) -> int:
    from ._sample import sample_analysis
    from .candles import sample_candles
    from .render import export, figure

    candles = sample_candles(arguments.symbol, arguments.timeframe, arguments.periods, seed=7)
    analysis = sample_analysis(candles, symbol=arguments.symbol, timeframe=arguments.timeframe)
    print(analysis.to_json(indent=2))
    chart = figure(candles, analysis)
    folder = Path(arguments.out)
    for name in ("demo.html", "demo.png"):
        written = export(chart, folder / name)
        # stdout stays the wire JSON alone, so it can be piped; file locations go to stderr.
        print(f"wrote {written.resolve()}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``rai-charts``; subcommands register here."""
    parser = argparse.ArgumentParser(
        prog="rai-charts", description="Draw, render and publish Returning.AI chart analyses."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo",
        help="build the sample analysis, print its wire JSON, write it as HTML and PNG",
    )
    demo.add_argument("--symbol", default="GBP/USD")
    demo.add_argument("--timeframe", default="H1")
    demo.add_argument("--periods", type=int, default=500)
    demo.add_argument("--out", default="out", help="folder for demo.html and demo.png")
    demo.set_defaults(handler=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    try:
        return int(arguments.handler(arguments))
    except (ValueError, OSError, RaiChartsError) as error:
        print(f"rai-charts: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
