"""Fit the picker's weights from questions with known answers: `python -m training.fit_picker`.

Data, all committed with the project:
* `training/data/xquad-dev.{en,vi}.json`: the development half of XQuAD (CC BY-SA 4.0, `data/README.md`),
  24 Wikipedia articles with 612 questions asked in English and in Vietnamese;
* news questions with the facts an answer must hold: `training/data/news/questions*.json`, over `docs_src/`
  and the fictional articles of `training/data/news/`.

Every XQuAD question is asked of the English and of the Vietnamese folder (en-en, vi-vi,
en-vi, vi-en: question language, then articles' language) three times: with its article
(the answer is there), without it, and with the article but without the paragraph that
answers; and of a folder of both languages, where only a sentence in the question's
language counts as right, whole (en-both) and without the answering paragraph of one
language (en-both-other: only the other answers; en-both-own: only the question's own).
A candidate sentence is right when it holds a gold answer.
The ranking model is a softmax over each question's candidates, fitted where some
candidate is right; the acceptance model learns from all whether the folder answers.
Its threshold declines at most DECLINE_BUDGET of the answerable one-language questions
(XQuAD's and the news ones pooled, then of each language of XQuAD's and of the news ones
apart, as far as questions about absent articles are still declined ABSENT_DECLINED) in
cross-validation over XQuAD articles and news events, whose figures the script prints. The language model
learns from the bilingual folders, on out-of-fold confidences, when to quote the other
language; each kind of folder counts as often as the news questions (articles in two
languages about related events) find the answer in the question's language, the other
or both. The weights go to `weights.json`, those fitted with the encoder's features to
`weights-encoder.json` with the gates at which the bot with the encoder keeps the words-alone
answer (`fit_gate`, on both pickers' out-of-fold outcomes); `--check` only says whether the
files are what the data gives.

Each model is fitted to the optimum of its loss by Newton's method, so any CPU refits the
same weights. The ~500 folders differ from one another by an article: each article is
tokenized once, each folder's index is built from the tokenized articles, and the folders
are asked in parallel, in a fixed order.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import multiprocessing
import os
import sys
import tempfile
import unicodedata
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from index.articles import DEFAULT_MAX_ARTICLE_BYTES
from index.chunk import parts
from index.encoder import E5Encoder
from index.pipeline import ProcessedArticle, process
from index.proper import ProperCounts
from index.search import Bm25Search
from index.store import Index
from index.vectors import SentenceVectors, VectorCache

from bot.engine import Engine
from bot.engine.picker.features import INDEX
from bot.engine.picker.model import (DENSE_WEIGHTS, LANGUAGE_NAMES, WEIGHTS, Model, accept_row, language_row, names,
                                     quotes_other)

HERE = Path(__file__).parent
ROOT = HERE.parent
NEWS = HERE / "data" / "news"
NEWS_SETS = [NEWS / "questions_bundled.json", NEWS / "questions_fixtures.json", NEWS / "questions.json",
             NEWS / "questions_reader.json"]
# The news events, as the ids of the questions about them name them (`-kyo-` and `-hue-` are one meeting
# reported in two languages); the bundled set is all about the bundled articles' event, and a question
# about no event in the folder is off-topic. Cross-validation holds out whole events.
NEWS_EVENTS = {"pnh": "pnh", "hue": "hue", "kyo": "hue", "hp": "hp", "ct": "ct", "vte": "vte", "bkk": "bkk",
               "dad": "dad"}
NEWS_FOLDERS = [ROOT / "docs_src", NEWS / "fixture-articles", NEWS / "articles"]
FOLDS = 4
DECLINE_BUDGET = 0.08  # answerable one-language questions the bot may decline (the issue allows 0.10)
# Answers from the other language's article have a threshold of their own (issue #17: at most
# 12% of answerable cross-language questions declined), lowered from the one above only as far
# as questions whose article is absent are still declined this often (issue #17: 93%).
CROSS_DECLINE_BUDGET = 0.12
ABSENT_DECLINED = 0.93
RANK_L2, ACCEPT_L2, LANGUAGE_L2 = 1e-3, 1e-3, 1e-3
# Bilingual folders that teach only the language choice: the ranking and the acceptance
# learn from folders where the question's language answers, as the bundled ones mostly do.
ONE_SIDED = ("-both-other", "-both-own")
# Questions the question's own language answers right that the language model may answer
# from the other: when both languages hold the answer, the asker reads it in their own.
# Unbounded, the fit weighted as the news questions are trades 7 points of en-both for 12
# of en-both-other, and quotes the other article's meeting for "who met X in <city>?".
SWITCH_BUDGET = 0.005
# Newton's method stops where no entry of the gradient exceeds this: the weights are then
# the optimum's to far below what weights.json keeps, on any CPU and any BLAS.
GRADIENT_TOLERANCE = 1e-10
NEWTON_STEPS = 100  # it takes about a dozen; more means the loss has no optimum to find
WORKERS = 4  # the folders are asked in parallel; each worker holds its own engines


@dataclass
class Asked:
    """One question asked of one folder: its candidates' rows and which of them are right."""
    group: str  # the article it is about, for cross-validation
    setting: str
    present: bool
    rows: np.ndarray
    right: np.ndarray  # bool per candidate
    dense: bool = False  # asked with the encoder: its candidates and its features


@cache
def fold_text(text: str) -> str:
    """Casefolded, without diacritics, quotes and spacing told apart. Cached: the same sentences
    are candidates of every question about their article, in every folder that holds it."""
    decomposed = unicodedata.normalize("NFD", text.casefold()).replace("đ", "d")
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'").split())


def _article(article: dict, language: str, without: int | None = None) -> str:
    """An article as xquad_eval writes it: a header, the title, a paragraph a line."""
    title = article["title"].replace("_", " ")
    lines = ["---", f"title: {title}", f"language: {language}", "---", title,
             *(" ".join(p["context"].split()) for i, p in enumerate(article["paragraphs"]) if i != without)]
    return "\n".join(lines) + "\n"


@cache
def _xquad(language: str) -> list[dict]:
    return json.loads((HERE / "data" / f"xquad-dev.{language}.json").read_text("utf-8"))["data"]


def _folder(language: str) -> dict[str, str]:
    """The XQuAD articles of one language as xquad_eval writes their folder: file name -> text."""
    return {f"{n:02d}.txt": _article(article, language) for n, article in enumerate(_xquad(language))}


def _mixed() -> dict[str, str]:
    """Both languages in one folder, as the bundled articles are."""
    return {f"{language}-{name}": text for language in ("en", "vi") for name, text in _folder(language).items()}


@cache
def _processed(work: Path, name: str, text: str) -> ProcessedArticle:
    """An article file processed as build_memory processes it: once, however many folders hold it."""
    path = work / str(os.getpid()) / hashlib.sha1(text.encode()).hexdigest() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return process(path, DEFAULT_MAX_ARTICLE_BYTES)


# The engines here only give candidates and rows, which no weights decide: no weights file is read.
UNFITTED = Model(*(np.zeros(len(n)) for n in (*names(False), LANGUAGE_NAMES)), threshold=0.0)


@cache
def encoder() -> VectorCache:
    """The encoder behind the vector cache: every sentence and question was encoded once,
    before the workers start (`warm`), so the workers only read vectors back."""
    return VectorCache(E5Encoder())


@cache
def _vectors(work: Path, name: str, text: str) -> np.ndarray:
    article = _processed(work, name, text)
    return encoder().encode_passages([part for p in article.paragraphs for part, _, _ in parts(p.text)])


def _engine(work: Path, files: dict[str, str]) -> Engine:
    """An engine over a folder given as file name -> text, indexed as build_memory indexes it,
    sentence vectors included. The ~500 folders differ from one another by one article, so only
    the index is built anew. Its rows do not depend on the picker it is given."""
    articles = [_processed(work, name, files[name]) for name in sorted(files)]
    proper = ProperCounts()
    for article in articles:
        proper.merge(article.proper)
    paragraphs = [p for a in articles for p in a.paragraphs]
    search = Bm25Search(paragraphs, [t for a in articles for t in a.tokens])
    vectors = SentenceVectors(encoder(), paragraphs, [_vectors(work, name, files[name]) for name in sorted(files)])
    return Engine(Index(docs_dir=str(work), fingerprint={}, code_version="", search=search,
                        articles=[a.info for a in articles], proper=proper.words(), vectors=vectors),
                  picker=UNFITTED, encoder=encoder())


@cache
def _whole(work: Path, kind: str) -> Engine:
    """The engine over all the XQuAD articles of "en", "vi" or "mixed", built once per worker."""
    return _engine(work, _mixed() if kind == "mixed" else _folder(kind))


def _ask(engine: Engine, question: str, right, group: str, setting: str, present: bool) -> list[Asked]:
    """The question asked without the encoder and with it: candidates and features of each (only
    the former for a question the engine answers by words alone although the encoder is on)."""
    asked = []
    for dense in (False,) if engine.by_words(question) else (False, True):
        cands, rows = engine.candidates(question, lexical=not dense)
        if cands:
            asked.append(Asked(group, setting, present, rows, np.array([right(c) for c in cands], dtype=bool), dense))
    return asked


def _holds(golds: list[str], language: str | None = None):
    """Whether a candidate holds a gold answer (and is written in `language`, when given)."""
    folded = [fold_text(g) for g in golds if g.strip()]
    return lambda cand: ((language is None or cand.paragraph.language == language)
                         and any(g in fold_text(cand.text) for g in folded))


def _questions(n: int, qlang: str, glang: str, only: int | None = None):
    """Article n's questions in `qlang` (only those of paragraph `only`, given), with their answers in `glang`."""
    for p, paragraph in enumerate(_xquad(qlang)[n]["paragraphs"]):
        if only is not None and p != only:
            continue
        gold = {q["id"]: q for q in _xquad(glang)[n]["paragraphs"][p]["qas"]}
        for qa in paragraph["qas"]:
            yield qa["question"], [a["text"] for a in gold[qa["id"]]["answers"]]


def _absent(work: Path, lang: str, n: int) -> list[Asked]:
    """Article n's questions asked of the folder of `lang`, with the article and without it."""
    full = _whole(work, lang)
    without = _engine(work, {name: text for name, text in _folder(lang).items() if name != f"{n:02d}.txt"})
    asked = []
    for qlang in ("en", "vi"):
        for question, golds in _questions(n, qlang, lang):
            for engine, present in ((full, True), (without, False)):
                asked += _ask(engine, question, _holds(golds), f"xquad{n}", f"{qlang}-{lang}", present)
    return asked


def _gap(work: Path, lang: str, n: int, p: int) -> list[Asked]:
    """The article there but not the paragraph that answers: the topic is known, the fact is
    not, as with a question about a city's population the articles never give."""
    gap = _engine(work, {**_folder(lang), f"{n:02d}.txt": _article(_xquad(lang)[n], lang, without=p)})
    asked = []
    for qlang in ("en", "vi"):
        for question, golds in _questions(n, qlang, lang, p):
            for found in _ask(gap, question, _holds(golds), f"xquad{n}", f"{qlang}-{lang}-gap", False):
                found.present = bool(found.right.any())
                asked.append(found)
    return asked


def _both(work: Path, n: int) -> list[Asked]:
    """Article n's questions asked of both languages at once: the right sentence is the one
    in the question's language, which teaches the ranking to prefer it."""
    asked = []
    for qlang in ("en", "vi"):
        for question, golds in _questions(n, qlang, qlang):
            asked += _ask(_whole(work, "mixed"), question, _holds(golds, qlang), f"xquad{n}", f"{qlang}-both", True)
    return asked


def _other(work: Path, removed: str, n: int, p: int) -> list[Asked]:
    """Both languages, `removed` without the paragraph that answers: asked in that language
    only the other article answers, asked in the other only the question's own does, as
    when two articles report different parts of one event."""
    kept = "vi" if removed == "en" else "en"
    article = _article(_xquad(removed)[n], removed, without=p)
    engine = _engine(work, {**_mixed(), f"{removed}-{n:02d}.txt": article})
    asked = []
    for qlang, setting in ((removed, f"{removed}-both-other"), (kept, f"{kept}-both-own")):
        for question, golds in _questions(n, qlang, kept, p):
            asked += _ask(engine, question, _holds(golds, kept), f"xquad{n}", setting, True)
    return asked


def _news_files() -> dict[str, str]:
    return {path.name: path.read_text("utf-8") for source in NEWS_FOLDERS for path in source.iterdir()
            if path.suffix == ".txt"}


def news_event(path: Path, case: dict) -> str:
    """The group of a news question for cross-validation: "news-" and the event it is about."""
    token = case["id"].split("-")[1]
    event = NEWS_EVENTS.get(token, "pnh" if path.name == "questions_bundled.json" else "off-topic")
    return f"news-{event}"


def news(work: Path) -> list[Asked]:
    engine = _engine(work, _news_files())
    asked = []
    for path in NEWS_SETS:
        for case in json.loads(path.read_text("utf-8"))["cases"]:
            groups = [_holds(group) for group in case.get("facts", [])]
            right = lambda cand, groups=groups: bool(groups) and all(hold(cand) for hold in groups)  # noqa: E731
            asked += _ask(engine, case["q"], right, news_event(path, case), "news", case["answerable"])
    return asked


def _run(task: tuple) -> list[Asked]:
    return task[0](*task[1:])


def warm(work: Path) -> None:
    """Encode, once and for good (the vector cache), every sentence and question the fit reads,
    in large batches over both cores, before the workers only read them back."""
    files = {**_mixed(), **_news_files()}
    encoder().encode_passages([part for name in sorted(files) for p in _processed(work, name, files[name]).paragraphs
                               for part, _, _ in parts(p.text)])
    questions = [" ".join(qa["question"].split()) for language in ("en", "vi") for article in _xquad(language)
                 for paragraph in article["paragraphs"] for qa in paragraph["qas"]]
    questions += [" ".join(case["q"].split()) for path in NEWS_SETS for case in json.loads(path.read_text("utf-8"))["cases"]]
    encoder().encode_queries(questions)


def collect(work: Path, workers: int = WORKERS) -> list[Asked]:
    """Every question asked of every folder, in the same order whatever the number of workers."""
    warm(work)
    articles = range(len(_xquad("en")))

    def paragraphs(lang: str):
        return [(n, p) for n in articles for p in range(len(_xquad(lang)[n]["paragraphs"]))]

    tasks = []
    for lang in ("en", "vi"):
        tasks += [(_absent, work, lang, n) for n in articles]
        tasks += [(_gap, work, lang, n, p) for n, p in paragraphs(lang)]
    tasks += [(_both, work, n) for n in articles]
    tasks += [(_other, work, removed, n, p) for removed in ("en", "vi") for n, p in paragraphs(removed)]
    tasks.append((news, work))
    workers = min(workers, os.cpu_count() or 1)
    if workers == 1:
        return [a for found in map(_run, tasks) for a in found]
    # forkserver: no worker inherits another's threads (numpy's BLAS); each builds its own engines
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver")) as pool:
        return [a for found in pool.map(_run, tasks, chunksize=4) for a in found]


def _standardize(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean, std = rows.mean(axis=0), rows.std(axis=0)
    mean[0], std[0] = 0.0, 1.0  # the bias stays as it is
    std[std == 0] = 1.0
    return mean, std


def _unstandardize(w: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """Weights for raw rows that score them as `w` scores standardized ones."""
    raw = w / std
    raw[0] = w[0] - (w[1:] * mean[1:] / std[1:]).sum()
    return raw


def _newton_step(hessian: np.ndarray, gradient: np.ndarray) -> np.ndarray:
    """Solve hessian @ step = -gradient, the Hessian shifted by a multiple of the identity
    where it is not positive definite (the ranking's loss, far from its optimum)."""
    shift, eye = 0.0, np.eye(len(gradient))
    while True:
        try:
            np.linalg.cholesky(hessian + shift * eye)
            return np.linalg.solve(hessian + shift * eye, -gradient)
        except np.linalg.LinAlgError:
            shift = max(2 * shift, 1e-6 * np.abs(np.diag(hessian)).max())


def _minimize(loss, size: int, l2: float) -> np.ndarray:
    """The weights that minimize loss(w) + l2 |w|^2 / 2, by Newton's method from zero.

    loss(w) gives the value and a function that computes the gradient and Hessian there,
    which a step that is not taken never needs. Converged, the weights are the optimum's,
    whatever rounding a CPU's BLAS did on the way (a fixed number of gradient steps stops
    wherever that rounding led). A step the value does not confirm is halved, unless the
    decrease it promises is below rounding: near the optimum the full step is exact.
    """
    eye = np.eye(size)

    def penalized(w: np.ndarray):
        value, derivatives = loss(w)

        def penalized_derivatives():
            gradient, hessian = derivatives()
            return gradient + l2 * w, hessian + l2 * eye

        return value + 0.5 * l2 * (w @ w), penalized_derivatives

    w = np.zeros(size)
    value, derivatives = penalized(w)
    for _ in range(NEWTON_STEPS):
        gradient, hessian = derivatives()
        if np.abs(gradient).max() <= GRADIENT_TOLERANCE:
            return w
        step = _newton_step(hessian, gradient)
        slope = gradient @ step
        t = 1.0
        while not (trial := penalized(w + t * step))[0] <= value + 1e-4 * t * slope and -slope > 1e-12 * abs(value):
            t /= 2
        w = w + t * step
        value, derivatives = trial
    raise RuntimeError(f"Newton's method did not converge in {NEWTON_STEPS} steps (gradient {np.abs(gradient).max():g})")


def _group_softmax(scores: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group of consecutive scores (of `sizes` each): the log of the sum of their exps, each
    score's share of that sum, and where each group starts."""
    starts = np.cumsum(sizes) - sizes
    top = np.maximum.reduceat(scores, starts)
    e = np.exp(scores - np.repeat(top, sizes))
    total = np.add.reduceat(e, starts)
    return top + np.log(total), e / np.repeat(total, sizes), starts


def fit_rank(asked: list[Asked]) -> np.ndarray:
    """Listwise: the probability mass a softmax over a question's candidates puts on its right ones."""
    usable = [a for a in asked if a.present and a.right.any() and not a.setting.endswith(ONE_SIDED)]
    rows = np.vstack([a.rows for a in usable])
    mean, std = _standardize(rows)
    x = (rows - mean) / std
    sizes = np.array([len(a.rows) for a in usable])
    right = np.concatenate([a.right for a in usable])
    x_right = x[right]  # the right candidates, each question's a group of its own
    right_sizes = np.array([a.right.sum() for a in usable])

    def loss(w: np.ndarray):
        """Minus the mean log of that mass (the log-sum-exp of every candidate's score minus
        that of the right ones'), and its derivatives."""
        s = x @ w
        every, p_every, starts = _group_softmax(s, sizes)
        rights, p_right, right_starts = _group_softmax(s[right], right_sizes)

        def derivatives():
            weighted, weighted_right = x * p_every[:, None], x_right * p_right[:, None]
            m_every = np.add.reduceat(weighted, starts)
            m_right = np.add.reduceat(weighted_right, right_starts)
            hessian = x.T @ weighted - m_every.T @ m_every - x_right.T @ weighted_right + m_right.T @ m_right
            return (x.T @ p_every - x_right.T @ p_right) / len(usable), hessian / len(usable)

        return (every - rights).mean(), derivatives

    return _unstandardize(_minimize(loss, x.shape[1], RANK_L2), mean, std)


def _logistic(x: np.ndarray, y: np.ndarray, weight: np.ndarray):
    """The weighted log-loss of a logistic model of y from x, and its derivatives."""
    def loss(w: np.ndarray):
        z = x @ w

        def derivatives():
            p = np.exp(-np.logaddexp(0, -z))
            return x.T @ (weight * (p - y)), x.T @ (x * (weight * p * (1 - p))[:, None])

        return weight @ (np.logaddexp(0, z) - y * z), derivatives
    return loss


def accept_rows(asked: list[Asked], rank: np.ndarray) -> np.ndarray:
    return np.vstack([accept_row(a.rows, a.rows @ rank) for a in asked])


def fit_accept(asked: list[Asked], rank: np.ndarray) -> np.ndarray:
    """Logistic regression: does the folder hold the answer? (Questions asked of both
    languages at once have no unanswerable twin, so they would only bias it.)"""
    asked = [a for a in asked if "-both" not in a.setting]
    rows = accept_rows(asked, rank)
    mean, std = _standardize(rows)
    y = np.array([a.present for a in asked], dtype=float)
    loss = _logistic((rows - mean) / std, y, np.full(len(y), 1 / len(y)))
    return _unstandardize(_minimize(loss, rows.shape[1], ACCEPT_L2), mean, std)


def confidences(asked: list[Asked], rank: np.ndarray, accept: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-(accept_rows(asked, rank) @ accept)))


def threshold_for(asked: list[Asked], conf: np.ndarray) -> tuple[float, float]:
    """The least confidence to answer in one language, and the pooled threshold it comes from.

    Pooled: the highest that declines at most DECLINE_BUDGET of the answerable one-language
    questions, XQuAD's and the news ones together. One kind may then take more than its share
    (XQuAD's English questions, the news ones, eight times fewer than XQuAD's): lowered to the
    budget of each of XQuAD's languages and of the news questions apart, but only as far as
    questions about absent XQuAD articles are still declined ABSENT_DECLINED of the time in each
    language: where that binds, the pooled one stays."""
    def budget(settings: tuple[str, ...]) -> float:
        own = np.sort([c for a, c in zip(asked, conf) if a.present and a.setting in settings])
        return float(own[int(math.floor(DECLINE_BUDGET * len(own)))]) if len(own) else 0.5

    pooled = budget(("en-en", "vi-vi", "news"))
    guard = max(_absent_guard([c for a, c in zip(asked, conf) if not a.present and a.setting == setting])
                for setting in ("en-en", "vi-vi"))
    return min(pooled, max(min(budget((setting,)) for setting in ("en-en", "vi-vi", "news")), guard)), pooled


def _absent_guard(absent: list[float]) -> float:
    """The least threshold that declines ABSENT_DECLINED of these confidences of questions about
    absent articles (declined means below it: just above the value that many reach)."""
    if not absent:
        return 0.0
    ordered = np.sort(absent)
    return float(np.nextafter(ordered[math.ceil(ABSENT_DECLINED * len(ordered)) - 1], np.inf))


def cross_threshold_for(asked: list[Asked], conf: np.ndarray, cross: np.ndarray, threshold: float) -> float:
    """The threshold of answers in the other language: the highest that declines at most
    CROSS_DECLINE_BUDGET of answerable cross-language questions answered so, raised as far as
    needed to decline ABSENT_DECLINED of those whose article is absent, and never above `threshold`
    (the pooled one-language one)."""
    settings = ("en-vi", "vi-en")
    present = np.sort([c for a, c, x in zip(asked, conf, cross) if x and a.present and a.setting in settings])
    absent = np.sort([c for a, c, x in zip(asked, conf, cross) if x and not a.present and a.setting in settings])
    if not len(present) or not len(absent):
        return threshold
    budget = float(present[int(math.floor(CROSS_DECLINE_BUDGET * len(present)))])
    return min(threshold, max(budget, _absent_guard(list(absent))))


@dataclass
class Sides:
    """A question asked of both languages: what the picker makes of each language's candidates."""
    kind: str  # which bilingual folder: "-both", "-both-other" or "-both-own"
    own: float  # confidence that the question's language answers
    other: float
    own_right: bool  # whether that language's best candidate is right
    other_right: bool

    def choice(self, language: np.ndarray) -> tuple[float, bool]:
        """The chosen language's confidence and whether its best candidate is right."""
        if quotes_other(language, self.own, self.other):
            return self.other, self.other_right
        return self.own, self.own_right


def _kind(setting: str) -> str:
    return setting[setting.index("-both"):] if "-both" in setting else setting


def sides(a: Asked, rank: np.ndarray, accept: np.ndarray) -> Sides | None:
    scores = a.rows @ rank
    found = Model(rank, accept, np.zeros(len(LANGUAGE_NAMES)), 0.0).sides(a.rows, scores)
    if found is None:
        return None
    own, mine, theirs = found
    right = [bool(a.right[np.flatnonzero(side)[np.argmax(scores[side])]]) for side in (own, ~own)]
    return Sides(_kind(a.setting), mine, theirs, *right)


def mixture(asked: list[Asked]) -> dict[str, float]:
    """Of the news questions whose answer the articles hold, the share answered in the
    question's language only, in the other only, and in both."""
    counts = dict.fromkeys(("-both-own", "-both-other", "-both"), 0)
    for a in asked:
        if _is_news(a) and a.right.any():
            own = a.rows[:, INDEX["same_language"]] > 0
            here, there = bool(a.right[own].any()), bool(a.right[~own].any())
            counts["-both" if here and there else "-both-own" if here else "-both-other"] += 1
    total = sum(counts.values()) or 1
    return {kind: round(n / total, 4) for kind, n in counts.items()}


def fit_language(found: list[Sides], shares: dict[str, float]) -> np.ndarray:
    """Weighted logistic regression: is the other language's best right where the question's
    own is not? Only questions where the two differ teach it; each kind of folder weighs
    its share of the news questions. Its bias then moves so that at most SWITCH_BUDGET of the
    questions whose own language is answered right are answered from the other."""
    sizes = {kind: sum(f.kind == kind for f in found) for kind in shares}
    used = [f for f in found if f.own_right != f.other_right and sizes[f.kind]]
    rows = np.vstack([language_row(f.own, f.other) for f in used])
    mean, std = _standardize(rows)
    y = np.array([f.other_right for f in used], dtype=float)
    weight = np.array([shares[f.kind] / sizes[f.kind] for f in used])
    loss = _logistic((rows - mean) / std, y, weight / weight.sum())
    w = _unstandardize(_minimize(loss, rows.shape[1], LANGUAGE_L2), mean, std)
    lean = np.sort([language_row(f.own, f.other)[1:] @ w[1:] for f in found if f.own_right])[::-1]
    w[0] = min(w[0], -lean[int(math.floor(SWITCH_BUDGET * len(lean)))])
    return w


def _is_news(a: Asked) -> bool:
    return a.group.startswith("news")


def folds(asked: list[Asked]) -> dict[str, int]:
    """Each group's fold: the XQuAD articles in turn, and the news events in turn from the
    largest, so that every fold holds out articles of both sources."""
    xquad = sorted({a.group for a in asked if not _is_news(a)}, key=lambda g: int(g[5:]))
    sizes = Counter(a.group for a in asked if _is_news(a))
    events = sorted(sizes, key=lambda g: (-sizes[g], g))
    return {g: i % FOLDS for groups in (xquad, events) for i, g in enumerate(groups)}


def _source(setting: str) -> str | None:
    """Which source a setting's questions belong to in the summary figure: one language, across, or news."""
    base = setting.removesuffix("-gap")
    return {"en-en": "one", "vi-vi": "one", "en-vi": "across", "vi-en": "across", "news": "news"}.get(base)


@dataclass
class Outcome:
    """Out of fold, per question asked: the confidence to answer, whether the sentence it would
    quote is right, whether it answers, and whether that sentence is in the other language."""
    confidence: np.ndarray
    top_right: np.ndarray
    answered: np.ndarray
    cross: np.ndarray


def cross_validate(asked: list[Asked], shares: dict[str, float]
                   ) -> tuple[Outcome, tuple[float, float], list[Sides]]:
    """Out-of-fold outcomes, folds over XQuAD articles and news events; and every bilingual
    XQuAD question's out-of-fold sides, which the language model learns from."""
    fold_of = folds(asked)
    conf = np.zeros(len(asked))
    top_right = np.zeros(len(asked), dtype=bool)
    cross = np.zeros(len(asked), dtype=bool)  # whether the sentence it would quote is in the other language
    found: dict[int, Sides] = {}
    for k in range(FOLDS):
        train = [a for a in asked if fold_of[a.group] != k]
        test = [i for i, a in enumerate(asked) if fold_of[a.group] == k]
        rank = fit_rank(train)
        accept = fit_accept(train, rank)
        held = [asked[i] for i in test]
        conf[test] = confidences(held, rank, accept)
        top_right[test] = [a.right[int(np.argmax(a.rows @ rank))] for a in held]
        cross[test] = [a.rows[int(np.argmax(a.rows @ rank)), INDEX["same_language"]] == 0 for a in held]
        # News questions are asked of articles in both languages: judged as the bot judges them.
        found.update((i, f) for i in test if ("-both" in asked[i].setting or _is_news(asked[i]))
                     and (f := sides(asked[i], rank, accept)))
    for k in range(FOLDS):
        language = fit_language([f for i, f in found.items() if fold_of[asked[i].group] != k and f.kind != "news"],
                                shares)
        for i in (i for i in found if fold_of[asked[i].group] == k):
            conf[i], top_right[i] = found[i].choice(language)
            cross[i] = quotes_other(language, found[i].own, found[i].other)
    threshold, pooled = threshold_for(asked, conf)
    cross_threshold = cross_threshold_for(asked, conf, cross, pooled)
    answered = conf >= np.where(cross, cross_threshold, threshold)
    return Outcome(conf, top_right, answered, cross), (threshold, cross_threshold), [f for f in found.values() if f.kind != "news"]


def report_of(asked: list[Asked], outcome: Outcome) -> dict:
    """The out-of-fold figures per setting."""
    top_right, answered = outcome.top_right, outcome.answered
    report = {}
    for setting in sorted({a.setting for a in asked if not a.setting.endswith("-gap")}):
        present = [i for i, a in enumerate(asked) if a.setting == setting and a.present]
        absent = [i for i, a in enumerate(asked) if a.setting == setting and not a.present]
        report[setting] = {
            "questions": len(present),
            "top_sentence_right": round(float(top_right[present].mean()), 4),
            "answer_hit": round(float((top_right & answered)[present].mean()), 4),
            "answerable_declined": round(float(1 - answered[present].mean()), 4),
        }
        if absent:
            report[setting]["absent_declined"] = round(float(1 - answered[absent].mean()), 4)
        gap = [i for i, a in enumerate(asked) if a.setting == f"{setting}-gap" and not a.present]
        if gap:
            report[setting]["paragraph_absent_declined"] = round(float(1 - answered[gap].mean()), 4)
    report["right_outcome"] = right_outcome(asked, top_right & answered, ~answered)
    return report


# The words-alone picker's confidences at which the encoder's may keep its answer: 1.0 never does.
GATES = tuple(round(0.5 + 0.05 * i, 2) for i in range(11))
Gate = tuple[float, float]  # for a sentence in the question's language, and in the other


def twins(asked: list[Asked]) -> dict[int, int]:
    """Each question asked with the encoder (its index in `asked`) and the same asked without it,
    which `_ask` puts just before."""
    return {i: i - 1 for i, a in enumerate(asked) if a.dense and i and not asked[i - 1].dense
            and (asked[i - 1].group, asked[i - 1].setting, asked[i - 1].present) == (a.group, a.setting, a.present)}


def kept(words: Outcome, twin: list[int | None], gate: Gate) -> np.ndarray:
    """Where the words-alone twin is sure enough of its sentence (in the question's language or
    the other) for its outcome to stand (`None`: asked only with the encoder)."""
    return np.array([t is not None and words.confidence[t] >= gate[int(words.cross[t])] for t in twin])


def gated(outcome: Outcome, words: Outcome, twin: list[int | None], gate: Gate) -> Outcome:
    """As the bot answers: the words-alone twin's outcome where it is sure enough, the encoder's elsewhere."""
    keep = kept(words, twin, gate)
    at = np.array([t if t is not None else 0 for t in twin])
    return Outcome(*(np.where(keep, getattr(words, name)[at], value) for name, value in vars(outcome).items()))


def fit_gate(asked: list[Asked], outcome: Outcome, words: Outcome, twin: list[int | None]) -> Gate:
    """The gates of GATES under which the bot's out-of-fold outcomes are as good by `right_outcome`
    as under the best, to within what one news question weighs there, that keep the most words-alone
    answers (news questions count as much as XQuAD's in one language and across). The optimum is
    that flat: which gates reach it moves with the pickers' features (0.6 / 0.8 once, 1.0 / 0.7 with
    `other_word_coverage`), and a lower gate encodes fewer questions."""
    def score(gate: Gate) -> float:
        found = gated(outcome, words, twin, gate)
        return right_outcome(asked, found.top_right & found.answered, ~found.answered)
    scores = {(own, other): score((own, other)) for own in GATES for other in GATES}
    one = 1 / (2 * 3 * sum(_is_news(a) and a.present for a in asked))
    good = [gate for gate in scores if scores[gate] >= max(scores.values()) - one]
    return max(good, key=lambda gate: (kept(words, twin, gate).sum(), -gate[1], -gate[0]))


def right_outcome(asked: list[Asked], hit: np.ndarray, declined: np.ndarray) -> float:
    """The out-of-fold figures in one number, to compare fits by: per source (one language,
    across, news), the mean of the answer hit on answerable questions and the share declined of
    the others; the sources averaged, so that the 200 news questions count as much as the
    10,000 XQuAD ones."""
    found = []
    for source in ("one", "across", "news"):
        present = [i for i, a in enumerate(asked) if _source(a.setting) == source and a.present]
        absent = [i for i, a in enumerate(asked) if _source(a.setting) == source and not a.present]
        if present and absent:
            found.append((hit[present].mean() + declined[absent].mean()) / 2)
    return round(float(np.mean(found)), 4)


def fit(every: list[Asked], dense: bool = False, words: Outcome | None = None) -> tuple[dict, Outcome]:
    """What weights.json (`dense`: weights-encoder.json) holds, fitted on the questions asked, and
    the out-of-fold outcomes of all of them (`words`: those without the encoder, from which the
    encoder's gate is fitted)."""
    chosen = [i for i, a in enumerate(every) if a.dense == dense]
    asked = [every[i] for i in chosen]
    rank_names, accept_names = names(dense)
    shares = mixture(asked)
    outcome, (threshold, cross_threshold), found = cross_validate(asked, shares)
    everywhere = Outcome(*(np.zeros(len(every), dtype=v.dtype) for v in vars(outcome).values()))
    for name, values in vars(outcome).items():
        getattr(everywhere, name)[chosen] = values
    report, gate = report_of(asked, outcome), None
    if words is not None:
        of = twins(every)
        twin = [of.get(i) for i in chosen]
        gate = fit_gate(asked, outcome, words, twin)
        report = {**report_of(asked, gated(outcome, words, twin, gate)), "without_gate": report}
    rank = fit_rank(asked)
    accept = fit_accept(asked, rank)
    language = fit_language(found, shares)
    return {
        "about": "Written by python -m training.fit_picker; do not edit by hand. rank: weights of the candidate "
                 "features (bot/engine/picker/features.py); accept: logistic weights of the best candidate's "
                 "summary (bot/engine/picker/model.py); language: logistic weights for quoting the other language; "
                 "threshold: least acceptance probability to answer; "
                 "cross_threshold: the same for a sentence in the other language than the question's.",
        "rank": {name: round(float(w), 6) for name, w in zip(rank_names, rank)},
        "accept": {name: round(float(w), 6) for name, w in zip(accept_names, accept)},
        "language": {name: round(float(w), 6) for name, w in zip(LANGUAGE_NAMES, language)},
        "threshold": round(threshold, 6),
        "cross_threshold": round(cross_threshold, 6),
        **({"lexical_gate": gate[0], "lexical_gate_across": gate[1]} if gate is not None else {}),
        "language_mixture": shares,
        "cross_validation": report,
        "questions": {"asked": len(asked), "with_a_right_candidate": sum(bool(a.right.any()) for a in asked)},
    }, everywhere


# Ten units of the last decimal weights.json keeps. Converged, a refit on another CPU differs
# by ~1e-10, a value on a rounding boundary by one unit; one changed label among the 11,000
# questions moves some weight by 2e-3 or more.
CHECK_TOLERANCE = 1e-5


def _differences(saved, fitted, where: str = "") -> list[str]:
    """Where two fits disagree, numbers compared to CHECK_TOLERANCE."""
    if isinstance(saved, dict) and isinstance(fitted, dict):
        if saved.keys() != fitted.keys():
            return [f"{where or 'top'}: keys {sorted(saved)} != {sorted(fitted)}"]
        return [d for key in saved for d in _differences(saved[key], fitted[key], f"{where}.{key}")]
    if isinstance(saved, (int, float)) and isinstance(fitted, (int, float)):
        return [] if abs(saved - fitted) <= CHECK_TOLERANCE * max(1.0, abs(saved)) else [f"{where}: {saved} != {fitted}"]
    return [] if saved == fitted else [f"{where}: {saved!r} != {fitted!r}"]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m training.fit_picker", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="only say whether the weights files are what the data gives")
    parser.add_argument("--out", type=Path, default=WEIGHTS.parent,
                        help=f"the folder to write {WEIGHTS.name} and {DENSE_WEIGHTS.name} in (default {WEIGHTS.parent})")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        asked = collect(Path(tmp))
    status, words = 0, None
    for dense, path in ((False, WEIGHTS), (True, DENSE_WEIGHTS)):
        result, words = fit(asked, dense, words)
        print(f"{path.name}, cross-validated:", json.dumps(result["cross_validation"], indent=1), file=sys.stderr)
        if args.check:
            differ = _differences(json.loads(path.read_text("utf-8")), result) if path.exists() else ["no file"]
            print(f"{path.name} is up to date" if not differ else
                  f"{path.name} differs from what the data gives: " + "; ".join(differ[:10]))
            status = max(status, 1 if differ else 0)
        else:
            args.out.mkdir(parents=True, exist_ok=True)
            out = args.out / path.name
            out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", "utf-8")
            print(f"wrote {out}")
    return status


if __name__ == "__main__":
    sys.exit(main())
