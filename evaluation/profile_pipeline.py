"""Where a Rasa model spends its time per message: every graph component, timed in-process.

    python -m evaluation.profile_pipeline --model models/clinic-x.tar.gz [--model other.tar.gz] [--repeat 5]

For each model, the bench's consultation questions and journey messages are parsed (the NLU graph) and
then, as `rasa run` does after each message, the next action is predicted (the policy graph), with an
in-memory tracker store and no action server (no action runs). Prints each component's mean time per
message and its share; with two models, side by side. Complements `make bench --profile` (py-spy
profiles of the running servers, where HTTP, the tracker store and the action server also show).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from evaluation.bench import FAQ_MESSAGES

JOURNEY_MESSAGES = (
    "hi",
    "which treatment would suit me?",
    '/inform{"concern": "acne_scars"}',
    '/inform{"area": "face"}',
    "/affirm",
    "34",
    "/deny",
    "I'm pregnant",
    "on roaccutane till june",
    "I bruise easily and take eliquis",
    "can i talk to a real person please",
)


class TimedNode:
    """Stands in for a GraphNode in the runner: calls it and adds the time to its component's total."""

    def __init__(self, name: str, node: Any, totals: dict[str, float]):
        self.name, self.node, self.totals = name, node, totals

    def __call__(self, *args: Any) -> Any:
        started = time.perf_counter()
        try:
            return self.node(*args)
        finally:
            self.totals[self.name] += time.perf_counter() - started


def component_name(node_name: str) -> str:
    """The component class of a graph node: "run_DIETClassifier6" -> "DIETClassifier" (nodes of the same
    class, such as the two CountVectorsFeaturizers, add up, and two models' rows line up)."""
    return re.sub(r"\d+$", "", node_name.split(".")[-1].replace("run_", ""))


async def profile(model: Path, repeat: int) -> tuple[dict[str, float], dict[str, float], int]:
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage

    import rasa_server

    rasa_server.install()  # the same Rasa server code as `make run` serves
    agent = Agent.load(str(model))
    runner = agent.processor.graph_runner
    parse_totals: dict[str, float] = defaultdict(float)
    predict_totals: dict[str, float] = defaultdict(float)
    for name, node in list(runner._instantiated_nodes.items()):  # noqa: SLF001 - profiling a private runner
        runner._instantiated_nodes[name] = TimedNode(component_name(name), node, defaultdict(float))
    timed_nodes = list(runner._instantiated_nodes.values())  # noqa: SLF001

    def point_at(target: dict[str, float]) -> None:
        for node in timed_nodes:
            node.totals = target

    messages = list(FAQ_MESSAGES) + list(JOURNEY_MESSAGES)
    for text in messages[:3]:  # warm-up: TensorFlow traces its functions on first use
        sender = uuid.uuid4().hex
        await agent.processor.log_message(UserMessage(text, sender_id=sender))
        await agent.processor.predict_next_for_sender_id(sender)
    count = 0
    for _ in range(repeat):
        sender = uuid.uuid4().hex
        for text in messages:
            point_at(parse_totals)
            started = time.perf_counter()
            await agent.processor.log_message(UserMessage(text, sender_id=sender))
            parse_totals["(parse + tracker, whole)"] += time.perf_counter() - started
            point_at(predict_totals)
            started = time.perf_counter()
            await agent.processor.predict_next_for_sender_id(sender)
            predict_totals["(predict next action, whole)"] += time.perf_counter() - started
            count += 1
    return dict(parse_totals), dict(predict_totals), count


def table(results: list[tuple[str, dict[str, float], int]]) -> list[str]:
    names = sorted(
        {k for _, totals, _ in results for k in totals},
        key=lambda k: -max(totals.get(k, 0) / count for _, totals, count in results),
    )
    header = f"{'component':48}" + "".join(f"{label[:22]:>24}" for label, _, _ in results)
    lines = [header]
    for name in names:
        lines.append(
            f"{name[:48]:48}"
            + "".join(f"{totals.get(name, 0) / count * 1000:>20.2f} ms " for _, totals, count in results)
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", required=True, type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    logging.basicConfig(level=logging.ERROR)
    parse_results, predict_results = [], []
    for model in args.model:
        parse_totals, predict_totals, count = asyncio.run(profile(model, args.repeat))
        parse_results.append((model.name, parse_totals, count))
        predict_results.append((model.name, predict_totals, count))
    print(f"Mean time per message ({args.repeat} x {len(FAQ_MESSAGES) + len(JOURNEY_MESSAGES)} messages)\n")
    print("NLU (parse):")
    print("\n".join(table(parse_results)))
    print("\nPolicies (predict the next action):")
    print("\n".join(table(predict_results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
