"""Held-out figures that `rasa test nlu` does not give, from parsing each message as the server does.

`rasa test nlu` (a) drops SpacyEntityExtractor's entities before scoring ("pretrained" extractors are
never evaluated), (b) scores entities on their labels only, token by token, and (c) undoes the
FallbackClassifier, so a message the assistant would answer with "sorry, did you mean..." counts as
understood. The actions read values and the visitor sees fallbacks, so this loads the model once and:

- on the entity set (tests/nlu/holdout_entities.yml): scores the multiset of (label, canonical value)
  pairs per message (spans are not compared), and runs Rasa's own entity evaluation
  (rasa.nlu.test.evaluate_entities) with SpacyEntityExtractor kept: <out>/entities/*_report.json and
  confusion matrices, token-level as Rasa scores DIET;
- on the intent set (tests/nlu/holdout.yml): counts the messages that end as nlu_fallback, and the
  accuracy as served (a fallback counts as wrong).

    python -m evaluation.parse_scores --model models/clinic-x.tar.gz --entities tests/nlu/holdout_entities.yml \
        --intents tests/nlu/holdout.yml --out results/eval/ours
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

Pair = tuple[str, str]


@dataclass
class LabelCounts:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.true_positives + self.false_negatives,
            "true_positives": self.true_positives,
            "false_positives": self.false_positives,
            "false_negatives": self.false_negatives,
        }


@dataclass
class MessageResult:
    text: str
    expected: list[Pair]
    predicted: list[Pair]

    @property
    def missed(self) -> list[Pair]:
        return sorted((Counter(self.expected) - Counter(self.predicted)).elements())

    @property
    def extra(self) -> list[Pair]:
        return sorted((Counter(self.predicted) - Counter(self.expected)).elements())


@dataclass
class Scores:
    by_label: dict[str, LabelCounts] = field(default_factory=dict)
    messages: list[MessageResult] = field(default_factory=list)

    def add(self, result: MessageResult) -> None:
        self.messages.append(result)
        expected, predicted = Counter(result.expected), Counter(result.predicted)
        for pair in set(expected) | set(predicted):
            counts = self.by_label.setdefault(pair[0], LabelCounts())
            hit = min(expected[pair], predicted[pair])
            counts.true_positives += hit
            counts.false_negatives += expected[pair] - hit
            counts.false_positives += predicted[pair] - hit

    @property
    def micro(self) -> LabelCounts:
        total = LabelCounts()
        for counts in self.by_label.values():
            total.true_positives += counts.true_positives
            total.false_positives += counts.false_positives
            total.false_negatives += counts.false_negatives
        return total

    def as_dict(self) -> dict:
        return {
            "micro": self.micro.as_dict(),
            "labels": {label: counts.as_dict() for label, counts in sorted(self.by_label.items())},
            "messages": len(self.messages),
            "messages_exact": sum(1 for m in self.messages if not m.missed and not m.extra),
            "errors": [
                {"text": m.text, "missed": [list(p) for p in m.missed], "extra": [list(p) for p in m.extra]}
                for m in self.messages
                if m.missed or m.extra
            ],
        }


def pairs(entities: list[dict]) -> list[Pair]:
    """(label, value) of each entity; the same entity found twice on the same span counts once."""
    seen: set[tuple] = set()
    found: list[Pair] = []
    for entity in entities or []:
        key = (entity.get("entity"), str(entity.get("value")), entity.get("start"), entity.get("end"))
        if key not in seen:
            seen.add(key)
            found.append((str(entity.get("entity")), str(entity.get("value"))))
    return found


def score(expected: list[tuple[str, list[Pair]]], predicted: list[list[Pair]]) -> Scores:
    scores = Scores()
    for (text, wanted), got in zip(expected, predicted, strict=True):
        scores.add(MessageResult(text, wanted, got))
    return scores


FALLBACK_INTENT = "nlu_fallback"


async def parse_all(model: Path, texts: list[str]) -> list[dict]:
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage

    processor = Agent.load(str(model)).processor
    return [await processor.parse_message(UserMessage(text=text), only_output_properties=False) for text in texts]


def rasa_entity_evaluation(examples: list, parsed: list[dict], out: Path) -> dict:
    """Rasa's token-level entity report per extractor, without dropping the pretrained ones."""
    from rasa.nlu.constants import TOKENS_NAMES
    from rasa.nlu.test import EntityEvaluationResult, _get_active_entity_extractors, evaluate_entities
    from rasa.shared.nlu.constants import ENTITIES, TEXT

    results = [
        EntityEvaluationResult(
            example.get(ENTITIES, []), result.get(ENTITIES, []), result.get(TOKENS_NAMES[TEXT], []), result.get(TEXT)
        )
        for example, result in zip(examples, parsed, strict=True)
    ]
    extractors = _get_active_entity_extractors(results)
    if not extractors:
        return {}
    out.mkdir(parents=True, exist_ok=True)
    return evaluate_entities(
        results, extractors, str(out), successes=False, errors=True, disable_plotting=False, report_as_dict=True
    )


SWEEP_THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7)


def ranking_without_fallback(result: dict) -> list[tuple[str, float]]:
    """The classifier's own ranking, as it was before the FallbackClassifier replaced the top intent."""
    from rasa.nlu.classifiers import fallback_classifier

    if fallback_classifier.is_fallback_classifier_prediction(result):
        result = fallback_classifier.undo_fallback_prediction(result)
    ranking = [
        (r.get("name"), float(r.get("confidence") or 0.0))
        for r in result.get("intent_ranking") or []
        if r.get("name") != FALLBACK_INTENT
    ]
    top = result.get("intent") or {}
    return ranking or [(top.get("name"), float(top.get("confidence") or 0.0))]


def served(ranking: list[tuple[str, float]], threshold: float, ambiguity: float) -> str:
    """What the FallbackClassifier makes of a ranking (Rasa 3.6: below threshold, or top two too close)."""
    top_name, top = ranking[0]
    second = ranking[1][1] if len(ranking) > 1 else 0.0
    return FALLBACK_INTENT if top < threshold or top - second < ambiguity else top_name


def served_intents(examples: list, parsed: list[dict], ambiguity: float = 0.1) -> dict:
    """Accuracy as the visitor meets it: a message that falls back is not understood. Also the same
    figures for other thresholds (same ambiguity_threshold), from the classifier's own ranking: a guide
    for config.yml's FallbackClassifier, measured on the held-out set (so tuned on it: confirm on new data)."""
    fallbacks, right, wrong = 0, 0, []
    rankings = []
    for example, result in zip(examples, parsed, strict=True):
        predicted = (result.get("intent") or {}).get("name")
        fallbacks += predicted == FALLBACK_INTENT
        rankings.append(ranking_without_fallback(result))
        if predicted == example.get("intent"):
            right += 1
        else:
            wrong.append(
                {
                    "text": example.get("text"),
                    "intent": example.get("intent"),
                    "predicted": predicted,
                    "top": rankings[-1][0][0],
                    "confidence": round(rankings[-1][0][1], 3),
                }
            )
    total = len(examples)
    sweep = {}
    for threshold in SWEEP_THRESHOLDS:
        outcomes = [served(r, threshold, ambiguity) for r in rankings]
        sweep[str(threshold)] = {
            "served_accuracy": round(sum(o == e.get("intent") for o, e in zip(outcomes, examples)) / total, 4),
            "fallback_rate": round(sum(o == FALLBACK_INTENT for o in outcomes) / total, 4),
            "wrong_answers": sum(o not in (FALLBACK_INTENT, e.get("intent")) for o, e in zip(outcomes, examples)),
        }
    return {
        "messages": total,
        "fallbacks": fallbacks,
        "fallback_rate": round(fallbacks / total, 4) if total else None,
        "served_accuracy": round(right / total, 4) if total else None,
        "threshold_sweep": sweep,
        "ambiguity_threshold": ambiguity,
        "wrong": wrong,
    }


def main(argv: list[str] | None = None) -> int:
    from rasa.shared.nlu.training_data.loading import load_data

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, type=Path)
    parser.add_argument("--entities", required=True, type=Path, help="an NLU file with annotated entities")
    parser.add_argument("--intents", type=Path, help="an NLU file to count fallbacks on")
    parser.add_argument("--out", required=True, type=Path, help="folder for the JSON files and Rasa's reports")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    logging.basicConfig(level=logging.WARNING)
    entity_examples = load_data(str(args.entities)).intent_examples
    intent_examples = load_data(str(args.intents)).intent_examples if args.intents else []
    parsed = asyncio.run(parse_all(args.model, [e.get("text") for e in entity_examples + intent_examples]))
    parsed_entities, parsed_intents = parsed[: len(entity_examples)], parsed[len(entity_examples) :]
    args.out.mkdir(parents=True, exist_ok=True)

    values = score(
        [(e.get("text"), pairs(e.get("entities") or [])) for e in entity_examples],
        [pairs(r.get("entities") or []) for r in parsed_entities],
    ).as_dict()
    (args.out / "entity_values.json").write_text(json.dumps(values, indent=2), encoding="utf-8")
    rasa_entity_evaluation(entity_examples, parsed_entities, args.out / "entities")
    micro = values["micro"]
    print(
        f"entity values: P {micro['precision']:.3f} R {micro['recall']:.3f} F1 {micro['f1']:.3f} "
        f"({values['messages_exact']}/{values['messages']} messages exact)"
    )
    if intent_examples:
        served = served_intents(intent_examples, parsed_intents)
        (args.out / "served_intents.json").write_text(json.dumps(served, indent=2), encoding="utf-8")
        print(
            f"served intents: accuracy {served['served_accuracy']:.3f}, {served['fallbacks']} of "
            f"{served['messages']} fell back"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
