"""`rasa test nlu --cross-validation`, with the same folds for every config, and its figures as JSON.

Rasa's CLI splits the folds with an unseeded StratifiedKFold, so two configs (or two runs) would be
scored on different splits. This runs the very function the CLI runs (rasa.nlu.test.cross_validate,
after the same drop of intents with fewer examples than folds) with numpy's global generator seeded
first: the split is drawn before the first fold trains, so it is the same for every config. The
accumulated test-fold reports (intent_report.json, confusion matrix, ...) go to --out like the CLI's;
the per-fold means and standard deviations the CLI only logs go to --out/cv_summary.json.

    python -m evaluation.cross_validate --config config.yml --nlu data/nlu --folds 3 --out results/eval/cv/ours
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time
from pathlib import Path

DEFAULT_SEED = 2611  # config.yml's random_seed


def summary(metrics: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    import numpy as np

    return {
        name: {
            "mean": round(float(np.mean(values)), 4),
            "std": round(float(np.std(values)), 4),
            "folds": [round(float(v), 4) for v in values],
        }
        for name, values in metrics.items()
    }


async def run(config: Path, nlu: Path, folds: int, out: Path, seed: int) -> dict:
    import numpy as np
    from rasa.nlu.test import cross_validate, drop_intents_below_freq
    from rasa.shared.nlu.training_data.loading import load_data

    data = drop_intents_below_freq(load_data(str(nlu)), cutoff=folds)
    np.random.seed(seed)
    started = time.monotonic()
    intents, entities, _ = await cross_validate(data, folds, str(config), str(out), errors=True)
    return {
        "config": str(config),
        "folds": folds,
        "seed": seed,
        "examples": len(data.intent_examples),
        "seconds": round(time.monotonic() - started, 1),
        "intent": {"train": summary(intents.train), "test": summary(intents.test)},
        "entity": {
            extractor: {"train": summary(entities.train.get(extractor, {})), "test": summary(metrics)}
            for extractor, metrics in entities.test.items()
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, type=Path)
    parser.add_argument("--nlu", required=True, type=Path)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args(argv)
    if args.folds < 2:
        parser.error("--folds must be at least 2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    logging.basicConfig(level=logging.WARNING)
    args.out.mkdir(parents=True, exist_ok=True)
    result = asyncio.run(run(args.config, args.nlu, args.folds, args.out, args.seed))
    (args.out / "cv_summary.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    test = result["intent"]["test"]
    print(
        f"cross-validation {args.config} ({args.folds} folds, {result['seconds']:.0f}s): intent test "
        + ", ".join(f"{name} {v['mean']:.3f} ({v['std']:.3f})" for name, v in test.items())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
