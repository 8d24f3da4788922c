"""How should the sentence encoder help choose the answer? A probe on XQuAD's development half (issue #17).

    python benchmarks/encoder_probe.py [--cache DIR] [--precision]

Each language's 24 XQuAD articles are written as a folder of .txt files and indexed in memory
(`index.store.build_memory`); every question is asked of each folder, in the four settings
en-en, vi-vi, en->vi, vi->en (the question's language, then the articles'), and again of the
folder without its article, for the decision to decline. The engine's
candidate sentences and feature rows come from `Engine.candidates`, their scores from the
picker's committed weights; a candidate is right when it holds a gold answer (compared
folded). The picker was fitted on these questions, so its own figure is in-sample; every
weight fitted here is fitted on half of the articles and measured on the other half
(2-fold cross-validation over articles), and the table gives the held-out figures.

Variants, each the share of questions whose top candidate is right:
  a  the picker's top candidate;
  b  the encoder's cosine alone, among the same candidates;
  c  z(picker score) + w * z(cosine), z within the question's candidates, w fitted per setting;
  d  candidate recall (some candidate is right) when the paragraphs of the encoder's k nearest
     sentences of the whole folder are added to the lexical candidates, k = 4 and 8;
  e  a softmax over the candidates of the picker's score and encoder features, fitted on all
     four settings together: each feature alone, all of them, and a refit of the picker's own
     rows with and without them (how much of a gain survives a real refit).
Declining: answer hit (not declined and right) and questions about an absent article declined,
for the committed picker, its confidence re-thresholded, that confidence with cosine features,
and a ranking and an acceptance both refitted with the cosine; once with the threshold the
picker's fit uses (at most 8% of one-language questions with their article declined), once
with one per setting that declines as many absent-article questions as the committed picker
(which compares how well each tells the two apart). These leave out the engine's rules around
the picker (dates for "when", unknown words), so they approach the README's answer hits
without equalling them.
Then timings: encoding every sentence of both folders (cold when the cache is empty), one
question, and the cache's hit path; with --precision, how float16 and int8 storage move
cosines and nearest sentences against float32.

`--cache DIR` keeps the vectors between runs (default: a fresh temporary folder, so the
encoding time is a cold one).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.engine import Engine
from bot.engine.picker.features import INDEX
from bot.engine.picker.model import log_odds, model
from index.chunk import parts
from index.encoder import E5Encoder
from index.store import Index, build_memory
from index.vectors import VectorCache

DATA = Path(__file__).resolve().parent.parent / "training" / "data"
SETTINGS = ("en-en", "vi-vi", "en-vi", "vi-en")
FOLDS = 2
WEIGHTS_GRID = np.round(np.arange(0, 4.01, 0.05), 2)
NEAREST = (4, 8)
STEPS, L2 = 400, 1e-3
DECLINE_BUDGET = 0.08  # as the picker's fit: one-language questions with their article it may decline
FEATURES = ("cosine", "cosine_rank", "cosine_margin", "neighbour_cosine", "paragraph_cosine")


def fold_text(text: str) -> str:
    """Case, diacritics and đ folded, as the picker's fit compares answers."""
    decomposed = unicodedata.normalize("NFD", text.casefold()).replace("đ", "d")
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'").split())


def write_folder(folder: Path, articles: list[dict], language: str) -> None:
    """One .txt per article: a header, the title, a paragraph a line."""
    folder.mkdir(parents=True)
    for n, article in enumerate(articles):
        title = article["title"].replace("_", " ")
        lines = ["---", f"title: {title}", f"language: {language}", "---", title,
                 *(" ".join(p["context"].split()) for p in article["paragraphs"])]
        (folder / f"{n:02d}.txt").write_text("\n".join(lines) + "\n", "utf-8")


@dataclass
class Asked:
    setting: str
    article: int
    question: str
    texts: list[str]  # the candidates' texts
    keys: list[tuple[str, int]]  # each candidate's paragraph
    rows: np.ndarray
    scores: np.ndarray
    right: np.ndarray
    golds: list[str]  # folded
    present: bool = True  # whether the folder holds the question's article
    query: np.ndarray | None = None  # the question's vector
    cosine: np.ndarray | None = None


def ask_all(data: dict, work: Path) -> tuple[list[Asked], dict[str, Index]]:
    """Every question of each folder, and again of the folder without its article (present=False)."""
    asked, indexes = [], {}
    for folder_lang in ("en", "vi"):
        folder = work / folder_lang
        write_folder(folder, data[folder_lang], folder_lang)
        indexes[folder_lang] = build_memory(folder)
        full = Engine(indexes[folder_lang])
        for n, article in enumerate(data[folder_lang]):
            without = work / f"{folder_lang}-without-{n:02d}"
            without.mkdir()
            for path in folder.iterdir():
                if path.name != f"{n:02d}.txt":
                    (without / path.name).symlink_to(path)
            for engine, present in ((full, True), (Engine(build_memory(without)), False)):
                for question_lang in ("en", "vi"):
                    for p, paragraph in enumerate(data[question_lang][n]["paragraphs"]):
                        golds = {qa["id"]: [a["text"] for a in qa["answers"]] for qa in article["paragraphs"][p]["qas"]}
                        for qa in paragraph["qas"]:
                            found = ask(engine, qa["question"], [fold_text(g) for g in golds[qa["id"]] if g.strip()])
                            asked.append(Asked(f"{question_lang}-{folder_lang}", n, qa["question"], *found, present))
    return asked, indexes


def ask(engine: Engine, question: str, golds: list[str]) -> tuple:
    cands, rows = engine.candidates(question)
    right = np.array([any(g in fold_text(c.text) for g in golds) for c in cands], dtype=bool)
    return ([c.text for c in cands], [(c.paragraph.doc_id, c.paragraph.number) for c in cands], rows,
            model().scores(rows) if len(cands) else np.zeros(0), right, golds)


def top_right(values: np.ndarray, right: np.ndarray) -> bool:
    return bool(len(values)) and bool(right[int(np.argmax(values))])


def zscore(values: np.ndarray) -> np.ndarray:
    return (values - values.mean()) / (values.std() or 1.0)


def share(hits) -> str:
    hits = list(hits)
    return f"{100 * sum(hits) / max(len(hits), 1):.1f}"


def fit_mix(asked: list[Asked]) -> float:
    """The w of z(score) + w z(cosine) that puts the most right candidates on top (the smallest on a tie)."""
    pairs = [(zscore(a.scores), zscore(a.cosine), a.right) for a in asked if len(a.right)]
    hits = [sum(top_right(s + w * c, r) for s, c, r in pairs) for w in WEIGHTS_GRID]
    return float(WEIGHTS_GRID[int(np.argmax(hits))])


def encoder_features(a: Asked) -> np.ndarray:
    """One row per candidate: the FEATURES, in order. A sentence alone in its paragraph
    has the question's lowest cosine as its neighbours'."""
    cos = a.cosine
    rank = np.empty(len(cos))
    rank[np.argsort(-cos, kind="stable")] = np.arange(len(cos))
    neighbour = np.full(len(cos), np.nan)
    best: dict[tuple[str, int], float] = {}
    for i, key in enumerate(a.keys):
        best[key] = max(best.get(key, -1.0), cos[i])
        for j in (i - 1, i + 1):
            if 0 <= j < len(cos) and a.keys[j] == key:
                neighbour[i] = np.fmax(neighbour[i], cos[j])
    neighbour[np.isnan(neighbour)] = cos.min()
    paragraph = np.array([best[key] for key in a.keys])
    return np.column_stack([cos, 1 / (1 + rank), cos - cos.max(), neighbour, paragraph])


def descend(x: np.ndarray, gradient) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weights for standardized `x` by full-batch Adam steps with an L2 penalty (as the picker's fit)."""
    mean, std = x.mean(axis=0), x.std(axis=0)
    constant = std == 0  # a bias column stays as it is
    mean[constant], std[constant] = 0.0, 1.0
    x = (x - mean) / std
    w, m, v = np.zeros(x.shape[1]), np.zeros(x.shape[1]), np.zeros(x.shape[1])
    for t in range(1, STEPS + 1):
        g = gradient(x, w) + L2 * w
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w -= 0.05 * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    return w, mean, std


def fit_softmax(xs: list[np.ndarray], rights: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Listwise softmax over each question's candidates (the picker's own loss)."""
    usable = [(x, r) for x, r in zip(xs, rights) if r.any()]
    right = np.concatenate([r for _, r in usable])
    sizes = np.array([len(r) for _, r in usable])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])

    def gradient(x: np.ndarray, w: np.ndarray) -> np.ndarray:
        s = x @ w
        e = np.exp(s - np.repeat(np.maximum.reduceat(s, starts), sizes))
        p_all = e / np.repeat(np.add.reduceat(e, starts), sizes)
        e_right = e * right
        p_right = e_right / np.repeat(np.add.reduceat(e_right, starts), sizes)
        return x.T @ (p_all - p_right) / len(usable)

    return descend(np.vstack([u for u, _ in usable]), gradient)


def fit_logistic(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = np.column_stack([np.ones(len(x)), x])
    return descend(x, lambda z, w: z.T @ (1 / (1 + np.exp(-(z @ w))) - y) / len(y))


def cross_validated(asked: list[Asked], inputs) -> dict[str, str]:
    """Held-out top-1 per setting of a softmax over `inputs(a)`, fitted on the other fold's articles (all settings)."""
    hits: dict[str, list[bool]] = {s: [] for s in SETTINGS}
    for fold in range(FOLDS):
        train = [a for a in asked if a.article % FOLDS != fold and len(a.right)]
        w, mean, std = fit_softmax([inputs(a) for a in train], [a.right for a in train])
        for a in asked:
            if a.article % FOLDS == fold:
                hits[a.setting].append(len(a.right) > 0 and top_right(((inputs(a) - mean) / std) @ w, a.right))
    return {s: share(hits[s]) for s in SETTINGS}


def nearest_rows(question: np.ndarray, sentences: np.ndarray, k: int) -> np.ndarray:
    return np.argsort(-(sentences @ question), kind="stable")[:k]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, help="where the vectors are kept (default: a new temporary folder)")
    parser.add_argument("--precision", action="store_true", help="also measure float16 and int8 storage")
    args = parser.parse_args()
    data = {lang: json.loads((DATA / f"xquad-dev.{lang}.json").read_text("utf-8"))["data"] for lang in ("en", "vi")}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        asked, indexes = ask_all(data, work)
        print(f"asked {len(asked)} questions (with and without their article) in "
              f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
        encoder = E5Encoder()
        cache = VectorCache(encoder, args.cache or work / "vectors")
        # Every quotable part of every paragraph of both folders: what the index would encode.
        owners = {lang: [(p.doc_id, p.number) for p in index.paragraphs() for _ in parts(p.text)]
                  for lang, index in indexes.items()}
        sentences = {lang: [text for p in index.paragraphs() for text, _, _ in parts(p.text)]
                     for lang, index in indexes.items()}
        started = time.perf_counter()
        passages = {lang: cache.encode_passages(texts) for lang, texts in sentences.items()}
        encode_seconds = time.perf_counter() - started
        started = time.perf_counter()
        for texts in sentences.values():
            cache.encode_passages(texts)
        hit_seconds = time.perf_counter() - started
        questions = cache.encode_queries([a.question for a in asked])
        vector_of = {text: vector for lang in sentences for text, vector in zip(sentences[lang], passages[lang])}
        lookups = []
        for a, question in zip(asked, questions):
            started = time.perf_counter()
            found = cache.encode_passages(a.texts)
            lookups.append(time.perf_counter() - started)
            assert all(np.array_equal(found[i], vector_of[t]) for i, t in enumerate(a.texts))
            a.query, a.cosine = question, found @ question
        single = []
        for a in asked[:: len(asked) // 30][:30]:
            started = time.perf_counter()
            encoder.encode_queries([a.question])
            single.append(time.perf_counter() - started)

        report([a for a in asked if a.present], passages, owners, sentences)
        declining(asked)
        count = sum(map(len, sentences.values()))
        print("\n## Timings\n")
        print(f"- all {count} quotable parts of both folders: {encode_seconds:.1f} s through the cache "
              f"({1000 * encode_seconds / count:.1f} ms each; cold unless --cache held them)")
        print(f"- one question, alone: median {1000 * statistics.median(single):.1f} ms, "
              f"max {1000 * max(single):.1f} ms (30 questions)")
        print(f"- cache hit path: all {count} parts again in {1000 * hit_seconds:.0f} ms "
              f"({1e6 * hit_seconds / count:.0f} µs each); one question's candidates "
              f"(median {statistics.median(len(a.texts) for a in asked):.0f}): "
              f"median {1000 * statistics.median(lookups):.1f} ms, p99 {1000 * np.quantile(lookups, 0.99):.1f} ms")
        if args.precision:
            precision(encoder, sentences, asked)
    return 0


def report(asked: list[Asked], passages: dict, owners: dict, sentences: dict) -> None:
    by = {s: [a for a in asked if a.setting == s] for s in SETTINGS}
    texts_of: dict[str, dict[tuple[str, int], list[str]]] = {lang: {} for lang in owners}
    for lang, keys in owners.items():
        for key, text in zip(keys, sentences[lang]):
            texts_of[lang].setdefault(key, []).append(text)
    rows: list[tuple[str, dict[str, str]]] = []
    rows.append(("a  picker top-1 (in-sample weights)", {s: share(top_right(a.scores, a.right) for a in by[s])
                                                         for s in SETTINGS}))
    rows.append(("b  cosine alone top-1", {s: share(top_right(a.cosine, a.right) for a in by[s]) for s in SETTINGS}))
    rows.append(("b' cosine alone, nearest sentence of the whole folder",
                 {s: share(any(g in fold_text(sentences[s[3:]][nearest_rows(a.query, passages[s[3:]], 1)[0]])
                               for g in a.golds) for a in by[s]) for s in SETTINGS}))
    mixed, weights = {}, {}
    for s in SETTINGS:
        hits = []
        for fold in range(FOLDS):
            w = fit_mix([a for a in by[s] if a.article % FOLDS != fold])
            weights.setdefault(s, []).append(w)
            hits += [len(a.right) > 0 and top_right(zscore(a.scores) + w * zscore(a.cosine), a.right)
                     for a in by[s] if a.article % FOLDS == fold]
        mixed[s] = share(hits)
    rows.append(("c  z(score) + w z(cosine), w per setting (CV)", mixed))
    pooled = []
    for fold in range(FOLDS):
        w = fit_mix([a for a in asked if a.article % FOLDS != fold])
        pooled.append(w)
    rows.append(("c' the same, one w for all settings (CV)",
                 {s: share(len(a.right) > 0 and top_right(zscore(a.scores) + pooled[a.article % FOLDS]
                                                          * zscore(a.cosine), a.right) for a in by[s])
                  for s in SETTINGS}))
    rows.append(("d  recall of the lexical candidates", {s: share(a.right.any() for a in by[s]) for s in SETTINGS}))
    added: dict[int, dict[str, list[int]]] = {k: {s: [] for s in SETTINGS} for k in NEAREST}
    for k in NEAREST:
        recall = {}
        for s in SETTINGS:
            lang = s.split("-")[1]
            hits = []
            for a in by[s]:
                extra = {owners[lang][i] for i in nearest_rows(a.query, passages[lang], k)} - set(a.keys)
                added[k][s].append(len(extra))
                texts = [t for key in extra for t in texts_of[lang][key]]
                hits.append(a.right.any() or any(g in fold_text(t) for t in texts for g in a.golds))
            recall[s] = share(hits)
        rows.append((f"d  recall with the paragraphs of the {k} nearest sentences added", recall))
    for name, column in zip(FEATURES, range(len(FEATURES))):
        rows.append((f"e  softmax: score + {name} (CV)",
                     cross_validated(asked, lambda a, c=column: np.column_stack([a.scores, encoder_features(a)[:, c]]))))
    rows.append(("e  softmax: score + all five (CV)",
                 cross_validated(asked, lambda a: np.column_stack([a.scores, encoder_features(a)]))))
    rows.append(("e  picker rows refitted, no encoder (CV)", cross_validated(asked, lambda a: a.rows[:, 1:])))
    rows.append(("e  picker rows refitted + cosine (CV)",
                 cross_validated(asked, lambda a: np.column_stack([a.rows[:, 1:], a.cosine]))))
    rows.append(("e  picker rows refitted + cosine + cosine in the other language (CV)",
                 cross_validated(asked, lambda a: np.column_stack(
                     [a.rows[:, 1:], a.cosine, a.cosine * (1 - a.rows[:, INDEX["same_language"]])]))))
    for name in ("cosine_rank", "neighbour_cosine", "paragraph_cosine"):
        column = FEATURES.index(name)
        rows.append((f"e  picker rows refitted + cosine + {name} (CV)",
                     cross_validated(asked, lambda a, c=column: np.column_stack(
                         [a.rows[:, 1:], a.cosine, encoder_features(a)[:, c]]))))
    rows.append(("e  picker rows refitted + all five (CV)",
                 cross_validated(asked, lambda a: np.column_stack([a.rows[:, 1:], encoder_features(a)]))))
    print(f"{len(asked)} questions: " + ", ".join(f"{s} {len(by[s])}" for s in SETTINGS) + "\n")
    print("| variant | " + " | ".join(s.replace("-", "→") if s[:2] != s[3:] else s for s in SETTINGS) + " |")
    print("| --- |" + " --- |" * len(SETTINGS))
    for name, values in rows:
        print(f"| {name} | " + " | ".join(values[s] for s in SETTINGS) + " |")
    print("\nw of c per setting (fold 0, fold 1): " + ", ".join(f"{s} {weights[s]}" for s in SETTINGS)
          + f"; one w for all: {pooled}")
    for k in NEAREST:
        print(f"paragraphs added by the {k} nearest sentences, mean per question: "
              + ", ".join(f"{s} {statistics.mean(added[k][s]):.1f}" for s in SETTINGS))
    print("candidates per question, mean: " + ", ".join(f"{s} {statistics.mean(len(a.texts) for a in by[s]):.0f}"
                                                     for s in SETTINGS))


def acceptance_rows(a: Asked, scores: np.ndarray, confidence: float) -> np.ndarray:
    """What the declining variants read of a question: the picker's confidence (log-odds), whether
    the top candidate is in another language than the question, then the best cosine, its margin
    over the second and the cosine of the top, each also for the other language alone (e5's
    cosines run lower across languages), and the ranking's best score and margin."""
    best = int(np.argmax(scores))
    other = 1.0 - a.rows[best, INDEX["same_language"]]
    top = np.sort(scores)[::-1]
    cos = np.sort(a.cosine)[::-1]
    cosines = np.array([cos[0], cos[0] - cos[1] if len(cos) > 1 else 1.0, a.cosine[best]])
    return np.array([log_odds(confidence), other, *cosines, *(other * cosines),
                     top[0], top[0] - top[1] if len(top) > 1 else 1.0])


def threshold_for(values: np.ndarray, asked: list[Asked]) -> float:
    """The highest threshold that declines at most DECLINE_BUDGET of the one-language questions with their article."""
    own = np.sort([v for v, a in zip(values, asked) if a.present and a.setting[:2] == a.setting[3:]])
    return float(own[int(np.floor(DECLINE_BUDGET * len(own)))])


def declining(every: list[Asked]) -> None:
    """Answer hit (the article there, the top candidate right and not declined) and absent articles declined.

    Twice: with the threshold of the picker's fit (a budget of one-language questions declined),
    and with one per setting that declines as many absent-article questions as the committed
    picker does there, which compares how well each variant tells the two apart.
    """
    asked = [a for a in every if len(a.right)]  # no candidate at all: declined by every variant alike
    picker = model()
    confidence = np.array([picker.choose(a.rows, a.scores)[1] for a in asked])
    present = np.array([a.present for a in asked])
    setting_of = np.array([a.setting for a in asked])
    fold_of = np.array([a.article % FOLDS for a in asked])
    picker_top = np.array([top_right(a.scores, a.right) for a in asked])
    committed = confidence >= picker.threshold
    # name -> per fold: (values for every question by the model fitted without that fold, cut, top right)
    variants: dict[str, list[tuple[np.ndarray, float, np.ndarray]]] = {
        "picker as committed": [(confidence, picker.threshold, picker_top)] * FOLDS}
    rows = np.array([acceptance_rows(a, a.scores, c) for a, c in zip(asked, confidence)])
    inputs = [np.column_stack([a.rows[:, 1:], a.cosine]) for a in asked]
    refitted = []
    for fold in range(FOLDS):
        train = fold_of != fold
        w, mean, std = fit_softmax([x for x, a, t in zip(inputs, asked, train) if t and a.present],
                                   [a.right for a, t in zip(asked, train) if t and a.present])
        scores = [((x - mean) / std) @ w for x in inputs]
        tops = np.array([top_right(s, a.right) for s, a in zip(scores, asked)])
        refitted.append((np.array([acceptance_rows(a, s, c) for a, s, c in zip(asked, scores, confidence)]), tops))
    choices = {"picker confidence, threshold by CV": lambda fold: (rows[:, :2], picker_top),
               "+ cosine features": lambda fold: (rows[:, :8], picker_top),
               "ranking + cosine refitted, acceptance + cosine features": lambda fold: refitted[fold]}
    for name, choose in choices.items():
        variants[name] = []
        for fold in range(FOLDS):
            train = fold_of != fold
            x, tops = choose(fold)
            w, mean, std = fit_logistic(x[train], tops[train] & present[train])
            values = ((np.column_stack([np.ones(len(x)), x]) - mean) / std) @ w
            cut = threshold_for(values[train], [a for a, t in zip(asked, train) if t])
            variants[name].append((values, cut, tops))
    questions = {s: sum(a.setting == s and a.present for a in every) for s in SETTINGS}  # as many without
    # The share of absent-article questions with candidates that the committed picker answers.
    answered = {s: committed[(setting_of == s) & ~present].mean() for s in SETTINGS}
    for title, per_setting in ((f"one-language questions with their article declined at most {DECLINE_BUDGET:.0%}",
                                False), ("as many absent-article questions declined as the committed picker", True)):
        print(f"\n## Declining: {title} (CV)\n")
        print("| variant | " + " | ".join(f"{s} hit / absent declined" for s in SETTINGS) + " |")
        print("| --- |" + " --- |" * len(SETTINGS))
        for name, folds in variants.items():
            accepted, top = np.zeros(len(asked), dtype=bool), np.zeros(len(asked), dtype=bool)
            for fold, (values, cut, tops) in enumerate(folds):
                test = fold_of == fold
                top[test] = tops[test]
                for s in SETTINGS:
                    here = test & (setting_of == s)
                    if per_setting and name != "picker as committed":
                        absent = np.sort(values[~test & (setting_of == s) & ~present])[::-1]
                        kept = round(answered[s] * len(absent))
                        cut = absent[kept - 1] if kept else np.inf
                    accepted[here] = values[here] >= cut
            cells = [f"{100 * (accepted & top & present)[setting_of == s].sum() / questions[s]:.1f} / "
                     f"{100 * (1 - (accepted & ~present)[setting_of == s].sum() / questions[s]):.1f}" for s in SETTINGS]
            print(f"| {name} | " + " | ".join(cells) + " |")


def precision(encoder: E5Encoder, sentences: dict, asked: list[Asked]) -> None:
    """Cosines and nearest sentences of float16- and int8-stored vectors against float32 ones."""
    raw = {lang: encoder.encode_passages(texts) for lang, texts in sentences.items()}
    questions = {lang: encoder.encode_queries(sorted({a.question for a in asked if a.setting.startswith(lang)}))
                 for lang in ("en", "vi")}

    def int8(x: np.ndarray) -> np.ndarray:
        scale = np.abs(x).max(axis=1, keepdims=True) / 127
        return np.round(x / scale).astype(np.int8).astype(np.float32) * scale

    print("\n## Stored precision (question float32, sentences stored; nearest sentence of the whole folder)\n")
    for name, stored in (("float16", lambda x: x.astype(np.float16).astype(np.float32)), ("int8 per-vector scale", int8)):
        moved, same, total = [], 0, 0
        for q in questions.values():
            for s in raw.values():
                exact, approx = q @ s.T, q @ stored(s).T
                moved.append(np.abs(exact - approx).ravel())
                same += int((exact.argmax(axis=1) == approx.argmax(axis=1)).sum())
                total += len(q)
        moved = np.concatenate(moved)
        print(f"- {name}: cosine moved by at most {moved.max():.1e} (mean {moved.mean():.1e}); "
              f"same nearest sentence for {same} of {total} questions")


if __name__ == "__main__":
    sys.exit(main())
