"""`make eval`: NLU and dialogue quality of the project's model, side by side with the stock pipeline.

    python -m evaluation.evaluate --model models/clinic-<digest>.tar.gz [--out results/eval] [--folds 3]

1. held-out intents: `rasa test nlu` on tests/nlu/holdout.yml (never trained on), our model and the
   baseline (evaluation/config.baseline.yml: the stock pipeline without spaCy, same data and seeds);
2. what `rasa test nlu` leaves out (evaluation/parse_scores.py, each message parsed as the server
   does): entities on tests/nlu/holdout_entities.yml, by label + canonical value per message and by
   Rasa's token-level evaluation with SpacyEntityExtractor kept (Rasa's CLI never scores it); and the
   held-out intents as served, where a fallback ("sorry, did you mean...") counts as not understood;
3. NLU cross-validation of both configs on data/nlu with the same seeded folds
   (evaluation/cross_validate.py), each bounded by --cv-timeout;
4. `rasa test core --e2e` on tests/stories with our model;
5. results/eval/report.md (+ the confusion matrices) and the headline figures on stdout.

The baseline NLU model is trained once per content of its config and data/nlu (results/eval/models/).
Every step has a time limit; a step that fails or runs out of time is reported as such and the others
still run (exit status 1 then).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RASA = BIN / "rasa"  # stock Rasa: trains and tests the baseline
OUR_RASA = [sys.executable, "-m", "rasa_server"]  # the project's Rasa server (rasa_server/__init__.py)
HOLDOUT = ROOT / "tests" / "nlu" / "holdout.yml"
HOLDOUT_ENTITIES = ROOT / "tests" / "nlu" / "holdout_entities.yml"
STORIES = ROOT / "tests" / "stories"
NLU_DATA = ROOT / "data" / "nlu"
OUR_CONFIG = ROOT / "config.yml"
BASELINE_CONFIG = ROOT / "evaluation" / "config.baseline.yml"
RULER_EXTRACTOR = "SpacyEntityExtractor"
ANNOTATION = re.compile(r"\[([^\]]+)\]\{[^}]*\}|\[([^\]]+)\]\([^)]*\)")


@dataclass
class Step:
    name: str
    seconds: float = 0.0
    ok: bool = True
    note: str = ""


@dataclass
class Run:
    out: Path
    steps: list[Step] = field(default_factory=list)

    def command(self, name: str, argv: list[str], timeout: float, log: Path) -> Step:
        """Run argv from the project root with output to log; kill its process group on timeout."""
        log.parent.mkdir(parents=True, exist_ok=True)
        step = Step(name)
        started = time.monotonic()
        with open(log, "wb") as sink:
            process = subprocess.Popen(
                argv, cwd=ROOT, env=environment(), stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
            )
            try:
                code = process.wait(timeout=timeout)
                if code != 0:
                    step.ok, step.note = False, f"exit {code}, see {log.relative_to(self.out)}"
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                step.ok, step.note = False, f"stopped after the {timeout:.0f}s limit"
        step.seconds = time.monotonic() - started
        print(f"  {name}: {'ok' if step.ok else 'FAILED ' + step.note} ({step.seconds:.0f}s)", flush=True)
        self.steps.append(step)
        return step


def environment() -> dict[str, str]:
    """Every model here is trained as `make train` trains (scripts/train_if_changed.py), so the figures
    repeat from run to run."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from train_if_changed import training_environment

    return {
        **training_environment(),
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "MPLBACKEND": "Agg",
    }


def normalised(text: str) -> str:
    return " ".join(text.lower().split())


def example_texts(path: Path) -> list[str]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    texts = []
    for item in doc.get("nlu", []):
        for line in (item.get("examples") or "").splitlines():
            if line.strip().startswith("- "):
                plain = ANNOTATION.sub(lambda m: m.group(1) or m.group(2), line.strip()[2:])
                texts.append(plain)
    return texts


def leaked_examples(test_files: list[Path], training_dir: Path = NLU_DATA) -> list[str]:
    """Test examples that also appear (normalised) in the training data: they would measure nothing."""
    seen = {normalised(t) for path in sorted(training_dir.glob("*.yml")) for t in example_texts(path)}
    return [t for path in test_files for t in example_texts(path) if normalised(t) in seen]


def digest(config: Path) -> str:
    """What an NLU result depends on: the config and data/nlu (config.yml names the spaCy pipeline
    build, whose name carries the digest of the pattern files)."""
    h = hashlib.sha256(config.read_bytes())
    for path in sorted(NLU_DATA.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(ROOT).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


def baseline_model(run: Run, timeout: float) -> Optional[Path]:
    """The baseline NLU model for the current config and data/nlu, trained if not there yet."""
    models = run.out / "models"
    name = f"baseline-nlu-{digest(BASELINE_CONFIG)}"
    model = models / f"{name}.tar.gz"
    if model.exists():
        print(f"  baseline model: {model.relative_to(run.out)} (up to date)")
        run.steps.append(Step("train baseline NLU model", note="reused"))
        return model
    step = run.command(
        "train baseline NLU model",
        [
            str(RASA),
            "train",
            "nlu",
            "--config",
            str(BASELINE_CONFIG),
            "--nlu",
            str(NLU_DATA),
            "--out",
            str(models),
            "--fixed-model-name",
            name,
        ],
        timeout,
        run.out / "logs" / "train-baseline.log",
    )
    if not step.ok or not model.exists():
        return None
    for old in models.glob("baseline-nlu-*.tar.gz"):
        if old != model:
            old.unlink()
    return model


def cross_validation(run: Run, who: str, config: Path, folds: int, timeout: float) -> None:
    """Cross-validation of one config, skipped when its config, data/nlu and folds are unchanged since
    the last run (it is the slow part of make eval)."""
    target = run.out / "cv" / who
    key = f"{digest(config)}-{folds}"
    summary = read_json(target / "cv_summary.json")
    if summary and summary.get("key") == key:
        print(f"  {who}: cross-validation unchanged since {summary.get('date', 'the last run')}, reused")
        run.steps.append(Step(f"{who}: cross-validation ({folds} folds)", note="reused: same config and data"))
        return
    shutil.rmtree(target, ignore_errors=True)
    step = run.command(
        f"{who}: cross-validation ({folds} folds)",
        [
            sys.executable,
            "-m",
            "evaluation.cross_validate",
            "--config",
            str(config),
            "--nlu",
            str(NLU_DATA),
            "--folds",
            str(folds),
            "--out",
            str(target),
        ],
        timeout,
        run.out / "logs" / f"{who}-cv.log",
    )
    summary = read_json(target / "cv_summary.json")
    if step.ok and summary:
        summary.update(key=key, date=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"))
        (target / "cv_summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")


def read_json(path: Path) -> Optional[dict]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def intent_figures(report: Optional[dict], served: Optional[dict]) -> Optional[dict]:
    if not report:
        return None
    weighted, macro = report.get("weighted avg", {}), report.get("macro avg", {})
    served = served or {}
    return {
        "accuracy": report.get("accuracy"),
        "precision": weighted.get("precision"),
        "recall": weighted.get("recall"),
        "f1": weighted.get("f1-score"),
        "macro_f1": macro.get("f1-score"),
        "support": weighted.get("support"),
        "fallbacks": served.get("fallbacks"),
        "served_accuracy": served.get("served_accuracy"),
    }


def entity_figures(report: Optional[dict]) -> Optional[dict]:
    if not report:
        return None
    avg = report.get("micro avg") or report.get("weighted avg") or {}
    return {
        "precision": avg.get("precision"),
        "recall": avg.get("recall"),
        "f1": avg.get("f1-score"),
        "support": avg.get("support"),
    }


def read_threshold(config: Path) -> Optional[float]:
    doc = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    for component in doc.get("pipeline") or []:
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.3))
    return None


def fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def worst_intents(report: Optional[dict], count: int = 6) -> list[tuple[str, dict]]:
    if not report:
        return []
    rows = [
        (k, v)
        for k, v in report.items()
        if isinstance(v, dict) and "f1-score" in v and k not in ("micro avg", "macro avg", "weighted avg")
    ]
    return sorted(rows, key=lambda kv: (kv[1]["f1-score"], kv[0]))[:count]


def machine() -> str:
    memory_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPU cores, {memory_kb / 1024 / 1024:.0f} GiB RAM, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}"
    )


@dataclass
class Results:
    holdout: dict[str, Optional[dict]] = field(default_factory=dict)
    holdout_reports: dict[str, Optional[dict]] = field(default_factory=dict)
    ruler_tokens: Optional[dict] = None
    values: dict[str, Optional[dict]] = field(default_factory=dict)
    served: dict[str, Optional[dict]] = field(default_factory=dict)
    cv: dict[str, Optional[dict]] = field(default_factory=dict)
    stories: Optional[dict] = None


def collect(out: Path, configs: list[str]) -> Results:
    results = Results()
    for who in configs:
        report = read_json(out / who / "holdout" / "intent_report.json")
        results.holdout_reports[who] = report
        results.served[who] = read_json(out / who / "served_intents.json")
        results.holdout[who] = intent_figures(report, results.served[who])
        results.values[who] = read_json(out / who / "entity_values.json")
        results.cv[who] = read_json(out / "cv" / who / "cv_summary.json")
    results.ruler_tokens = entity_figures(read_json(out / "ours" / "entities" / f"{RULER_EXTRACTOR}_report.json"))
    story_report = read_json(out / "core" / "story_report.json")
    if story_report:
        conversation = story_report.get("conversation_accuracy", {})
        results.stories = {
            "correct": conversation.get("correct"),
            "total": conversation.get("total"),
            "conversation_accuracy": conversation.get("accuracy"),
            "action_accuracy": story_report.get("accuracy"),
            "action_f1": (story_report.get("weighted avg") or {}).get("f1-score"),
        }
    return results


def report_markdown(run: Run, results: Results, model: Path, folds: int) -> str:
    when = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    lines = [
        f"# Quality: NLU and dialogue evaluation ({when})",
        "",
        f"Model: `{model.name}`; machine: {machine()}.",
        "",
        "## Held-out intents (tests/nlu/holdout.yml, never trained on)",
        "",
        "| pipeline | accuracy | precision | recall | F1 (weighted) | F1 (macro) | fell back | accuracy as served |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for who, label in (
        ("ours", "ours (config.yml: spaCy + entity_ruler + DIET)"),
        ("baseline", "baseline (stock, WhitespaceTokenizer)"),
    ):
        f = results.holdout.get(who)
        if f:
            lines.append(
                f"| {label} | {fmt(f['accuracy'])} | {fmt(f['precision'])} | {fmt(f['recall'])} | "
                f"{fmt(f['f1'])} | {fmt(f['macro_f1'])} | {fmt(f['fallbacks'])} of {f['support']} | "
                f"{fmt(f['served_accuracy'])} |"
            )
        else:
            lines.append(f"| {label} | not run | | | | | | |")
    lines += [
        "",
        'The first columns are `rasa test nlu`\'s, which undoes the FallbackClassifier; "fell back" and '
        '"accuracy as served" count what the visitor meets: below the confidence threshold the assistant '
        "asks instead of answering, so a fallback is not understood.",
        "",
    ]
    sweep = (results.served.get("ours") or {}).get("threshold_sweep")
    if sweep:
        current = read_threshold(OUR_CONFIG)
        lines += [
            "FallbackClassifier threshold, ours (same ambiguity_threshold; from the classifier's own ranking "
            "on the held-out set, so a guide, not a tuned value):",
            "",
            "| threshold | accuracy as served | fell back | answered wrongly |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {t}{' (config.yml)' if current is not None and float(t) == current else ''} | "
            f"{fmt(v['served_accuracy'])} | {fmt(v['fallback_rate'])} | {v['wrong_answers']} |"
            for t, v in sweep.items()
        ]
        lines.append("")
    worst = worst_intents(results.holdout_reports.get("ours"))
    if worst:
        lines += [
            "Weakest intents (ours): "
            + ", ".join(
                f"{name} F1 {v['f1-score']:.2f}"
                + (f" (confused with {', '.join(v.get('confused_with', {}))})" if v.get("confused_with") else "")
                for name, v in worst
            ),
            "",
        ]
    lines += [
        "![intent confusion matrix](ours/holdout/intent_confusion_matrix.png)",
        "",
        "## Held-out entities (tests/nlu/holdout_entities.yml)",
        "",
        "| pipeline | label+value precision | recall | F1 | messages exactly right |",
        "|---|---|---|---|---|",
    ]
    for who in ("ours", "baseline"):
        v = results.values.get(who)
        if v:
            m = v["micro"]
            lines.append(
                f"| {who} | {fmt(m['precision'])} | {fmt(m['recall'])} | {fmt(m['f1'])} | "
                f"{v['messages_exact']} of {v['messages']} |"
            )
        else:
            lines.append(f"| {who} | not run | | | |")
    if results.ruler_tokens:
        t = results.ruler_tokens
        lines += [
            "",
            f"{RULER_EXTRACTOR} (token level, labels only, as `rasa test nlu` scores it): precision "
            f"{fmt(t['precision'])}, recall {fmt(t['recall'])}, F1 {fmt(t['f1'])}.",
        ]
    lines += [
        "",
        "The baseline has no entity_ruler, and the training data carries no entity annotations for DIET "
        "to learn from, so it finds no entities at all.",
        "",
    ]
    ours_values = results.values.get("ours")
    if ours_values:
        lines += ["| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
        lines += [
            f"| {label} | {fmt(c['precision'])} | {fmt(c['recall'])} | {fmt(c['f1'])} | {c['support']} |"
            for label, c in ours_values["labels"].items()
        ]
        if ours_values["errors"]:
            lines += ["", "Entity errors (ours):", ""]
            for e in ours_values["errors"]:
                missed = ", ".join(f"{a}:{b}" for a, b in e["missed"]) or "–"
                extra = ", ".join(f"{a}:{b}" for a, b in e["extra"]) or "–"
                lines.append(f'- "{e["text"]}": missed {missed}; extra {extra}')
    lines += [
        "",
        f"## NLU cross-validation (data/nlu, {folds} folds, the same seeded folds for both)",
        "",
        "| pipeline | intent accuracy | intent F1 | intent precision | time |",
        "|---|---|---|---|---|",
    ]
    for who in ("ours", "baseline"):
        cv = results.cv.get(who)
        if cv:
            test = cv["intent"]["test"]

            def cell(key: str, test: dict = test) -> str:
                return f"{test[key]['mean']:.3f} ± {test[key]['std']:.3f}" if key in test else "–"

            lines.append(
                f"| {who} | {cell('Accuracy')} | {cell('F1-score')} | {cell('Precision')} | {cv['seconds']:.0f}s |"
            )
        else:
            lines.append(f"| {who} | not run (see the steps below) | | | |")
    lines += ["", "## Test stories (`rasa test core --e2e`, tests/stories)", ""]
    if results.stories:
        s = results.stories
        lines += [
            f"{s['correct']} of {s['total']} stories fully correct (conversation accuracy "
            f"{fmt(s['conversation_accuracy'])}); action accuracy {fmt(s['action_accuracy'])}, "
            f"weighted action F1 {fmt(s['action_f1'])}. Failed stories: core/failed_test_stories.yml.",
            "",
            "![story confusion matrix](core/story_confusion_matrix.png)",
        ]
    else:
        lines.append("not run (see the steps below)")
    lines += ["", "## Steps", "", "| step | result | time |", "|---|---|---|"]
    lines += [
        f"| {s.name} | {'ok' if s.ok else 'FAILED'}{' – ' + s.note if s.note else ''} | {s.seconds:.0f}s |"
        for s in run.steps
    ]
    return "\n".join(lines) + "\n"


def headline(results: Results, folds: int) -> list[str]:
    lines = []
    for who in ("ours", "baseline"):
        f = results.holdout.get(who)
        if f:
            lines.append(
                f"holdout intents   {who:8} accuracy {fmt(f['accuracy'])}  F1 {fmt(f['f1'])}  "
                f"macro F1 {fmt(f['macro_f1'])}  as served {fmt(f['served_accuracy'])} ({fmt(f['fallbacks'])} fallbacks)"
            )
    for who in ("ours", "baseline"):
        v = results.values.get(who)
        if v:
            m = v["micro"]
            lines.append(
                f"holdout entities  {who:8} label+value P {fmt(m['precision'])}  R {fmt(m['recall'])}  "
                f"F1 {fmt(m['f1'])}"
            )
    if results.ruler_tokens:
        lines.append(f"holdout entities  {RULER_EXTRACTOR} token F1 {fmt(results.ruler_tokens['f1'])}")
    for who in ("ours", "baseline"):
        cv = results.cv.get(who)
        if cv and "F1-score" in cv["intent"]["test"]:
            t = cv["intent"]["test"]
            lines.append(
                f"cross-validation  {who:8} intent F1 {t['F1-score']['mean']:.3f} ± {t['F1-score']['std']:.3f}"
                f"  accuracy {t['Accuracy']['mean']:.3f} ({folds} folds)"
            )
    if results.stories:
        s = results.stories
        lines.append(
            f"test stories      {s['correct']}/{s['total']} correct, action accuracy {fmt(s['action_accuracy'])}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, type=Path, help="our trained model (.tar.gz)")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "eval")
    parser.add_argument(
        "--folds",
        type=int,
        default=int(os.environ.get("EVAL_FOLDS", "3")),
        help="cross-validation folds (0 skips cross-validation; env EVAL_FOLDS)",
    )
    parser.add_argument(
        "--cv-timeout",
        type=float,
        default=float(os.environ.get("EVAL_CV_TIMEOUT", "2400")),
        help="seconds allowed for each config's cross-validation (env EVAL_CV_TIMEOUT)",
    )
    parser.add_argument("--step-timeout", type=float, default=1800, help="seconds allowed for every other step")
    parser.add_argument("--no-baseline", action="store_true", help="skip the stock pipeline")
    args = parser.parse_args(argv)
    model = args.model.resolve()
    if not model.exists():
        parser.error(f"no model at {model} (`make train` makes one)")
    out = args.out.resolve()
    leaked = leaked_examples([HOLDOUT, HOLDOUT_ENTITIES])
    if leaked:
        print(
            "error: held-out examples also in data/nlu (they would measure nothing):\n  " + "\n  ".join(leaked),
            file=sys.stderr,
        )
        return 2
    for stale in ("ours", "baseline", "core"):
        shutil.rmtree(out / stale, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    run = Run(out)
    py, limit = str(sys.executable), args.step_timeout
    print(f"make eval: {model.name} -> {out}", flush=True)

    models = {"ours": model}
    if not args.no_baseline:
        trained = baseline_model(run, limit)
        if trained:
            models["baseline"] = trained
    for who, path in models.items():
        run.command(
            f"{who}: rasa test nlu on holdout.yml",
            [
                *(OUR_RASA if who == "ours" else [str(RASA)]),
                "test",
                "nlu",
                "--model",
                str(path),
                "--nlu",
                str(HOLDOUT),
                "--out",
                str(out / who / "holdout"),
            ],
            limit,
            out / "logs" / f"{who}-holdout.log",
        )
        run.command(
            f"{who}: entities and served intents (parse_scores)",
            [
                py,
                "-m",
                "evaluation.parse_scores",
                "--model",
                str(path),
                "--entities",
                str(HOLDOUT_ENTITIES),
                "--intents",
                str(HOLDOUT),
                "--out",
                str(out / who),
            ],
            limit,
            out / "logs" / f"{who}-parse.log",
        )
    run.command(
        "ours: rasa test core --e2e on tests/stories",
        [
            *OUR_RASA,
            "test",
            "core",
            "--e2e",
            "--stories",
            str(STORIES),
            "--model",
            str(model),
            "--out",
            str(out / "core"),
        ],
        limit,
        out / "logs" / "core.log",
    )
    if args.folds >= 2:
        for who, config in (("ours", OUR_CONFIG), ("baseline", BASELINE_CONFIG)):
            if who in models:
                cross_validation(run, who, config, args.folds, args.cv_timeout)

    results = collect(out, list(models))
    (out / "report.md").write_text(report_markdown(run, results, model, args.folds), encoding="utf-8")
    (out / "summary.json").write_text(json.dumps(results.__dict__, indent=2, default=str), encoding="utf-8")
    print(f"\nreport: {out / 'report.md'}")
    for line in headline(results, args.folds):
        print("  " + line)
    return 0 if all(step.ok for step in run.steps) else 1


if __name__ == "__main__":
    sys.exit(main())
