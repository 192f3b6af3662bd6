"""The `faqbot` command: a thin layer that builds settings and an engine, then hands over to one adapter."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from faqbot.corpus import CorpusError
from faqbot.settings import SettingsError
from faqbot.urgency import UrgencyError
from faqbot.weights import WeightsError

from .errors import UsageError
from .settings import Settings, load_settings


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand (each takes --corpus and --config)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", type=Path, help="folder of documents (default: the bundled corpus)")
    common.add_argument("--config", type=Path, help="settings file (TOML with [engine], [slack], [web])")
    common.add_argument(
        "--emergency-number",
        help="phone number emergency replies tell people to call, e.g. 112 or +44 20 7946 0000 (default 911)",
    )
    parser = argparse.ArgumentParser(prog="faqbot", description="Answers questions from a clinic's documents.")
    parser.add_argument("--version", action="version", version=f"faqbot {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("chat", parents=[common], help="chat in the terminal")
    ask = commands.add_parser("ask", parents=[common], help="ask questions from the command line or stdin")
    ask.add_argument("turns", nargs="*", metavar="TURN", help="turns of one conversation")
    ask.add_argument("--json", action="store_true", help="print each reply as one JSON object per line")
    ask.add_argument("--jsonl", action="store_true", help='read {"turns": [...]} lines on stdin')
    kb = commands.add_parser("kb", parents=[common], help="print the extracted knowledge base")
    kb.add_argument("--json", action="store_true", help="print JSON")
    kb.add_argument("--disclaimers", action="store_true", help="print the safety statements found")
    kb.add_argument(
        "--export",
        type=Path,
        metavar="FILE",
        help="write the Q&A pairs to a .tsv or .csv table",
    )
    evaluate = commands.add_parser("eval", parents=[common], help="score the engine on a JSONL case file")
    evaluate.add_argument("file", type=Path, help="cases: {turns, expect, cat} per line")
    evaluate.add_argument("--no-baselines", action="store_true", help="skip the TF-IDF and BM25 baselines")
    evaluate.add_argument("--failures", action="store_true", help="list the cases the engine got wrong")
    report_command = commands.add_parser(
        "report", parents=[common], help="write the editor's report (HTML) from the insights file"
    )
    review = commands.add_parser(
        "review", parents=[common], help="group the questions patients asked and did not get answered"
    )
    review.add_argument("--json", action="store_true", help="print the groups as JSON and exit")
    decision = review.add_mutually_exclusive_group()
    decision.add_argument("--accept", metavar="GROUP", help="write group GROUP's questions as alternates and exit")
    decision.add_argument("--not-covered", metavar="GROUP", help="mark group GROUP not covered and exit")
    review.add_argument("--section", metavar="ID", help="with --accept: the section (default: the likeliest)")
    slack = commands.add_parser("slack", parents=[common], help="run the Slack bot")
    serve = commands.add_parser("serve", parents=[common], help="serve the web widget and HTTP API")
    from . import platforms, report

    report.add_arguments(report_command)
    platforms.add_arguments("slack", slack)
    platforms.add_arguments("serve", serve)
    return parser


def _version() -> str:
    try:
        return metadata.version("faqbot")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings from --config plus the flags that override it."""
    engine = {"corpus": args.corpus, "emergency_number": args.emergency_number}
    return load_settings(args.config, {"engine": engine})


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        settings = settings_from_args(args)
        return _dispatch(args, settings)
    except (CorpusError, SettingsError, UsageError, UrgencyError, WeightsError) as error:
        print(f"faqbot: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    from . import batch, kb, platforms, repl, report, review

    match args.command:
        case "chat":
            return repl.run(settings)
        case "ask":
            return batch.ask(args, settings)
        case "kb":
            return kb.run(args, settings)
        case "eval":
            return batch.evaluate(args, settings)
        case "report":
            return report.run(args, settings)
        case "review":
            return review.run(args, settings)
        case "slack" | "serve":
            return platforms.run(args.command, args, settings)
    raise UsageError(f"unknown command {args.command}")


if __name__ == "__main__":
    sys.exit(main())
