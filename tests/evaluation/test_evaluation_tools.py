"""The measuring tools measure what they say: held-out data stays held out, figures are computed right."""

from __future__ import annotations

import pytest

from evaluation import bench, evaluate


def test_the_held_out_sets_share_no_example_with_the_training_data():
    assert evaluate.leaked_examples([evaluate.HOLDOUT, evaluate.HOLDOUT_ENTITIES]) == []


def test_a_copied_training_example_is_caught_as_a_leak(tmp_path):
    training = tmp_path / "nlu"
    training.mkdir()
    (training / "faq.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: ask_pain\n  examples: |\n    - does [dermapen](treatment) hurt\n',
        encoding="utf-8",
    )
    held_out = tmp_path / "holdout.yml"
    held_out.write_text(
        'version: "3.1"\nnlu:\n- intent: ask_pain\n  examples: |\n    - Does  Dermapen hurt\n    - is it sore\n',
        encoding="utf-8",
    )
    assert evaluate.leaked_examples([held_out], training) == ["Does  Dermapen hurt"]


@pytest.mark.parametrize(
    "statement", ["I'm pregnant", "on roaccutane till june", "I have a pacemaker", "I bruise easily and take eliquis"]
)
def test_the_screening_statements_are_held_out_with_their_entities(statement):
    texts = evaluate.example_texts(evaluate.HOLDOUT_ENTITIES)
    assert statement in texts
    raw = evaluate.HOLDOUT_ENTITIES.read_text(encoding="utf-8")
    line = next(
        line
        for line in raw.splitlines()
        if evaluate.ANNOTATION.sub(lambda m: m.group(1) or m.group(2), line.strip()[2:]) == statement
    )
    assert '"entity":' in line


def test_percentiles_of_a_known_series():
    values = [i / 1000 for i in range(1, 101)]  # 1 ms .. 100 ms
    figures = bench.percentiles(values)
    assert figures["p50"] == pytest.approx(0.0505)
    assert figures["p95"] == pytest.approx(0.09505)
    assert figures["p99"] == pytest.approx(0.09901)
    assert bench.percentiles([]) == {"p50": None, "p95": None, "p99": None, "mean": None}


def test_ratios_are_ours_over_the_starter_and_missing_when_a_side_is_missing():
    assert bench.ratio(0.06, 0.05) == 1.2
    assert bench.ratio(None, 0.05) is None
    assert bench.ratio(0.06, None) is None
    assert bench.ratio(0.06, 0.0) is None


def test_a_variant_spec_names_its_environment_and_tracker_store():
    variant = bench.Variant.parse("wal=BENCH_X=1;tracker_store=module.Store")
    assert (variant.name, variant.env, variant.tracker_store) == ("wal", {"BENCH_X": "1"}, "module.Store")


def test_the_slowest_turns_are_listed_slowest_first_with_what_was_sent():
    turns = [bench.Turn(seconds / 1000, True, False, f"message {seconds}") for seconds in (40, 500, 90, 30)]
    figures = bench.phase_figures(bench.PhaseResult(turns, 1.0, [], []))
    assert figures["slowest"][:3] == [[500, "message 500"], [90, "message 90"], [40, "message 40"]]


def test_the_bench_copy_of_the_project_starts_the_action_server_code_and_the_rasa_switch(tmp_path):
    """make bench runs both servers from a copy of the project: the copy holds every package they import
    and the knowledge base the rules are checked against."""
    import subprocess
    import sys

    from evaluation.bench import copy_project

    project = copy_project(tmp_path / "ours")
    check = (
        "import actions.conversation.preload, rasa_server; "
        "from actions.screening import default_rules; print(len(default_rules().rules) > 0, rasa_server.install())"
    )
    done = subprocess.run(
        [sys.executable, "-c", check],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={**__import__("os").environ, "CLINIC_DATABASE_URL": "sqlite://", "PYTHONPATH": str(project)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-2:] == ["True", "True"]
