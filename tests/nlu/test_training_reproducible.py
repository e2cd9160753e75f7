"""Training is reproducible: the same data and configuration give the same predictions (issue 14).

The project's NLU pipeline is trained twice, each time in a fresh process with the training environment
of scripts/train_if_changed.py (fixed seeds, hash seed, TensorFlow's deterministic ops, oneDNN off, a
fixed number of threads), and both models parse the same messages, including sentences they never saw
and names. Every intent ranking and entity must be identical. DIET gets a few epochs instead of 100 so
that the check takes about two minutes; the code paths are the same.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from train_if_changed import training_environment  # noqa: E402

EPOCHS = 4
MESSAGES = [
    "Zelphine Quarrington",
    "Joy Book",
    "Dr No",
    "Hope",
    "does microneedling hurt?",
    "how long until i can wear makeup again after rf microneedling",
    "is PRP worth the extra money",
    "I'm on roaccutane, can I still book",
    "what time do you close on saturdays",
    "stop",
    "can i talk to a real person",
    "my face is swollen and hot 4 days after",
]


def nlu_config(tmp_path: Path) -> Path:
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    for component in config["pipeline"]:
        if component["name"] == "DIETClassifier":
            component["epochs"] = EPOCHS
    config["policies"] = []
    path = tmp_path / "config.yml"
    path.write_text(yaml.safe_dump(config))
    return path


def train_and_parse(config: Path, out: Path) -> list[dict]:
    result = subprocess.run(
        [sys.executable, __file__, str(config), str(out)],
        cwd=ROOT,
        env=training_environment(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads((out / "predictions.json").read_text())


def test_training_twice_gives_the_same_predictions(tmp_path):
    config = nlu_config(tmp_path)
    first = train_and_parse(config, tmp_path / "first")
    second = train_and_parse(config, tmp_path / "second")
    assert len(first) == len(MESSAGES)
    for a, b in zip(first, second):
        assert a == b, f"{a['text']!r}: {a['intent_ranking'][:3]} != {b['intent_ranking'][:3]}"


def _train_and_parse(config: str, out: str) -> None:
    """In a fresh process: train the NLU model, parse MESSAGES, write what came out."""
    import asyncio

    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    Path(out).mkdir(parents=True, exist_ok=True)
    model = train_nlu(config, str(ROOT / "data" / "nlu"), out, domain=str(ROOT / "domain.yml"), fixed_model_name="nlu")
    agent = Agent.load(model)

    async def parse() -> list[dict]:
        return [await agent.parse_message(text) for text in MESSAGES]

    predictions = []
    for parsed in asyncio.run(parse()):
        predictions.append(
            {
                "text": parsed["text"],
                "intent_ranking": [(i["name"], i["confidence"]) for i in parsed.get("intent_ranking") or []],
                "entities": [
                    (e["entity"], e["value"], e.get("start"), e.get("end")) for e in parsed.get("entities") or []
                ],
            }
        )
    (Path(out) / "predictions.json").write_text(json.dumps(predictions))


if __name__ == "__main__":
    _train_and_parse(sys.argv[1], sys.argv[2])
