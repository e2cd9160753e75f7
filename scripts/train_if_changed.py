"""Train a Rasa model only when what it is trained from has changed.

The model file is named after a digest of config.yml, domain.yml, everything under data/ and the
spaCy pipeline's name, so an unchanged project finds its model and starts at once.

    python scripts/train_if_changed.py          # prints the model path, training first if needed
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
INPUTS = ("config.yml", "domain.yml", "data")
# The same data and configuration must give the same model on any machine of this kind (issue 14):
# config.yml fixes the components' random seeds; these fix the rest. Python's hash seed (the order of
# sets of words), TensorFlow's deterministic kernels, no oneDNN (it picks kernels by the CPU's
# instruction set, and the summation order with them) and a fixed number of threads (reductions split
# their work by it). The Makefile exports the same for serving, so a model reads alike everywhere.
REPRODUCIBLE_TRAINING = {
    "PYTHONHASHSEED": "0",
    "TF_DETERMINISTIC_OPS": "1",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "TF_INTRA_OP_PARALLELISM_THREADS": "2",
    "TF_INTER_OP_PARALLELISM_THREADS": "2",
}


def training_environment() -> dict[str, str]:
    """This process's environment with the settings that make training reproducible."""
    return {**os.environ, **REPRODUCIBLE_TRAINING}


def training_digest() -> str:
    h = hashlib.sha256()
    files: list[Path] = []
    for name in INPUTS:
        path = ROOT / name
        files.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])
    for path in files:
        h.update(path.relative_to(ROOT).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def main() -> int:
    name = f"clinic-{training_digest()}"
    model = MODELS / f"{name}.tar.gz"
    if model.exists():
        print(f"model up to date: {model.relative_to(ROOT)}", file=sys.stderr)
    else:
        print(f"training {model.relative_to(ROOT)} (data, config or pipeline changed)", file=sys.stderr)
        rasa = Path(sys.executable).parent / "rasa"
        cmd = [str(rasa), "train", "--fixed-model-name", name, "--out", str(MODELS)]
        result = subprocess.run(cmd, cwd=ROOT, env=training_environment())
        if result.returncode != 0 or not model.exists():
            print("error: rasa train failed", file=sys.stderr)
            return 1
        for old in MODELS.glob("clinic-*.tar.gz"):
            if old != model:
                old.unlink()
    print(model.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
