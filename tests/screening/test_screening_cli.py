"""python -m actions.screening FILE | - : decision on stdout and exit 0, or exit 2 naming the field."""

from __future__ import annotations

import json
import subprocess
import sys

from screening_support import REPO, healthy, rule_entry, write_rules


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "actions.screening", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )


def test_file_in_decision_out(tmp_path):
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(healthy(concerns=["acne_scars"])))
    result = run(str(path))
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert decision["next_step"] == "book_treatment"
    assert decision["recommendation"][0]["modality"] == "microneedling"


def test_standard_input_with_dash():
    result = run("-", stdin=json.dumps({"today": "2026-11-20", "symptoms": ["fever", "spreading_redness"]}))
    assert result.returncode == 0
    assert json.loads(result.stdout)["triage"] == "emergency"


def test_bad_json_exits_2_with_nothing_on_stdout():
    result = run("-", stdin='{"today": "2026-11-20",')
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("intake: not valid JSON")
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_value_exits_2_naming_the_field():
    result = run("-", stdin=json.dumps(healthy(conditions=["smoker", "vampire"])))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == ["conditions[1]: unknown value 'vampire'"]


def test_future_last_dose_exits_2():
    result = run("-", stdin=json.dumps(healthy(isotretinoin_last_dose="2030-01-01")))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("isotretinoin_last_dose: ")


def test_missing_file_exits_2(tmp_path):
    result = run(str(tmp_path / "absent.json"))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("intake: cannot read")


def test_broken_rules_file_exits_1_naming_the_key(tmp_path):
    path = write_rules(tmp_path, lambda doc: rule_entry(doc, "X21").update(action={"all": "forbid"}))
    result = run("-", "--rules", str(path), stdin=json.dumps(healthy()))
    assert result.returncode == 1 and result.stdout == ""
    assert "rules[" in result.stderr and "action.all" in result.stderr


def test_other_rules_file_is_used(tmp_path):
    path = write_rules(tmp_path, lambda doc: doc.update(rules_version="test-copy"))
    result = run("-", "--rules", str(path), stdin=json.dumps(healthy()))
    assert result.returncode == 0
    assert json.loads(result.stdout)["rules_version"] == "test-copy"
