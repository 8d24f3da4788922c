"""Which of the encoder's features matter: the picker's cross-validated figures without each (issue #17).

    python benchmarks/encoder_ablation.py

Asks every question of every folder as `python -m training.fit_picker` does (the vector cache
makes that cheap after the first fit), then cross-validates the encoder's picker (four folds
over XQuAD articles, as the fit) once whole and once with each encoder column of the ranking
made constant (a constant column carries nothing); "cosine" also takes the acceptance model's
cosine features, which read that column. The lexical picker on its own candidates is the last
row. Prints, per setting, answer hit and answerable declined, and absent declined per folder language.
"""
from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.engine.picker.features import DENSE_NAMES, NAMES  # noqa: E402
from training.fit_picker import collect, cross_validate, mixture, report_of  # noqa: E402

SETTINGS = ("en-en", "vi-vi", "en-vi", "vi-en")


def line(label: str, asked) -> str:
    report = report_of(asked, cross_validate(asked, mixture(asked))[0])
    hits = " ".join(f"{100 * report[s]['answer_hit']:5.1f}" for s in SETTINGS)
    declined = " ".join(f"{100 * report[s]['answerable_declined']:5.1f}" for s in SETTINGS)
    absent = " ".join(f"{100 * report[s]['absent_declined']:5.1f}" for s in SETTINGS)
    return f"{label:28s} | {hits} | {declined} | {absent}"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        asked = collect(Path(tmp))
    dense = [a for a in asked if a.dense]
    print(f"{'answer hit / declined / absent declined':28s} | {' '.join(f'{s:>5s}' for s in SETTINGS)} (each)")
    print(line("encoder picker, all", dense), flush=True)
    for j, name in enumerate(DENSE_NAMES, start=len(NAMES)):
        ablated = []
        for a in dense:
            rows = a.rows.copy()
            rows[:, j] = 0.0
            ablated.append(replace(a, rows=rows))
        print(line(f"without {name}", ablated), flush=True)
    print(line("lexical picker (no encoder)", [a for a in asked if not a.dense]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
