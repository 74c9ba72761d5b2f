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
        try:
            written = export(chart, folder / name)
        except RaiChartsError as error:
            # The image needs a browser; the page and the JSON are still worth having.
            print(f"skipped {folder / name}: {error}", file=sys.stderr)
            continue
        # stdout stays the wire JSON alone, so it can be piped; file locations go to stderr.
        print(f"wrote {written.resolve()}", file=sys.stderr)
    return 0


def _sandbox(arguments: argparse.Namespace) -> int:

    from .sandbox import SEED, serve

    def announce(url: str, db_path: Path) -> None:
        lines = [f"rai_charts sandbox listening on {url}  (API under {url}/v1)"]
        if arguments.seed:
            lines += [
                f"  community id  {SEED.community_id}",
                f"  channel id    {SEED.channel_id}",
                f"  API key       {SEED.api_key}",
                f"  sender        {SEED.sender}",
            ]
        lines += [
            f"  database      {db_path if arguments.db else 'temporary (gone on exit)'}",
            f"  OpenAPI       {url}/openapi.json",
            f"  admin         {url}/_sandbox/requests, /faults, /events, /webhook, ...",
            "Press Ctrl+C to stop.",
        ]
        print("\n".join(lines), flush=True)

    serve(
        host=arguments.host,
        port=arguments.port,
        db=arguments.db,
        seed=arguments.seed,
        on_started=announce,
    )
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
    sandbox = commands.add_parser(
        "sandbox", help="run the local Returning.AI API server (Chart Analysis) in the foreground"
    )
    sandbox.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    sandbox.add_argument("--port", type=int, default=8765, help="port; 0 picks a free one")
    sandbox.add_argument("--db", default=None, help="SQLite file kept across restarts")
    sandbox.add_argument(
        "--seed",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="create the seeded community, channel, member and key (default: yes)",
    )
    sandbox.set_defaults(handler=_sandbox)
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
