"""python -m actions.screening INTAKE.json   (or '-' for standard input)

Prints the decision JSON and exits 0. A malformed intake (bad JSON, unknown field or value, wrong type,
impossible date) exits 2 with one line on standard error naming the field; nothing goes to standard
output then. A broken rules or clinic file exits 1 naming the file and key.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence

from actions.content import ContentError
from actions.screening.engine import decide
from actions.screening.intake import IntakeError
from actions.screening.rules import load_rules

EXIT_OK, EXIT_CONFIG, EXIT_BAD_INPUT = 0, 1, 2


def _read(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    with open(source, encoding="utf-8") as handle:
        return handle.read()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m actions.screening", description="Screen one intake (intake-contract.md)."
    )
    parser.add_argument("intake", help="intake JSON file, or - for standard input")
    parser.add_argument("--rules", help="screening rules file (default: actions/content/screening_rules.yml)")
    args = parser.parse_args(argv)
    try:
        text = _read(args.intake)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"intake: cannot read {args.intake}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        print(f"intake: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        rules = load_rules(args.rules) if args.rules else None
        decision = decide(raw, rules=rules)
        output = json.dumps(decision, indent=2, ensure_ascii=False)
    except IntakeError as exc:
        print(f"{exc.field}: {exc.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ContentError as exc:
        print(f"configuration: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    sys.stdout.write(output + "\n")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
