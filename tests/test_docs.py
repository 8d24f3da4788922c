"""The documentation stays true: every command it shows is run against the bundled articles.

In the README and the READMEs of index/, bot/ and benchmarks/, a fenced block whose lines
start with `$ ` is a transcript: each command runs (`python` is this interpreter, the cache
a temporary folder) and must print the lines below it, where `...` stands for any text. Every
other `python -m bot` line of a block must run and exit 0. A block preceded by
`<!-- not run: reason -->` (a server, root, a Telegram token) is skipped. Inline
`python -m bot COMMAND --option` mentions must name a real command and its real options.
Links to `http://localhost:8000/` are to the pages of tests/fixtures/, which the test serves
on a free port of 127.0.0.1 while it runs.

When answers change on purpose, refresh the transcripts from the bot's current output with

    CITEBOT_UPDATE_DOCS=1 .venv/bin/python -m pytest tests/test_docs.py

and read the diff before committing it.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass

import pytest

from .article_files import serve
from .conftest import ROOT

DOCS = ["README.md", "index/README.md", "bot/README.md", "benchmarks/README.md"]
UPDATE = os.environ.get("CITEBOT_UPDATE_DOCS") == "1"
_FENCE = re.compile(r"^```")
_SKIP = re.compile(r"^<!-- not run: (.+?) -->$")
DOCS_SITE = "http://localhost:8000"
_BOT_COMMAND = re.compile(r"(?:^|[\s;&|(])(?:\S*/)?python3? -m bot(?:\s|$)")  # not training.fit_picker


@dataclass
class Block:
    first: int  # index of the block's first line inside the fence
    lines: list[str]
    skip: str  # why it is not run, or ""


def blocks(path: str) -> list[Block]:
    lines = (ROOT / path).read_text(encoding="utf-8").split("\n")
    found, start, skip = [], None, ""
    for number, line in enumerate(lines):
        if _FENCE.match(line):
            if start is None:
                start = number + 1
                previous = lines[number - 1] if number else ""
                skip = match.group(1) if (match := _SKIP.match(previous)) else ""
            else:
                found.append(Block(start, lines[start:number], skip))
                start = None
    return found


def commands(block: Block) -> list[str]:
    """The `python -m bot` commands of a block that is not a transcript, continuation lines joined."""
    text = "\n".join(block.lines).replace("\\\n", " ")
    return [line.strip() for line in text.split("\n")
            if _BOT_COMMAND.search(line) and not line.lstrip().startswith("#")]


def transcript(block: Block) -> list[tuple[int, str, list[str]]]:
    """(line index of the command, command, expected output lines) for each `$ ` line of a block."""
    steps = []
    for offset, line in enumerate(block.lines):
        if line.startswith("$ "):
            steps.append((block.first + offset, line[2:], []))
        elif steps:
            steps[-1][2].append(line)
    for _, _, output in steps:
        while output and not output[-1].strip():
            output.pop()
    return steps


def line_matches(want: str, got: str) -> bool:
    return re.fullmatch(".*".join(re.escape(part) for part in want.rstrip().split("...")), got.rstrip()) is not None


def matches(expected: list[str], actual: list[str]) -> bool:
    return len(expected) == len(actual) and all(map(line_matches, expected, actual))


def refreshed(expected: list[str], actual: list[str]) -> list[str]:
    """The output to document now: where a documented line still matches (times, paths: `...`), it stays."""
    if len(expected) != len(actual):
        return actual
    return [want if line_matches(want, got) else got for want, got in zip(expected, actual)]


@pytest.fixture(scope="module")
def shell(tmp_path_factory):
    """Runs a documented command as a reader would: `python` is this interpreter, run from the clone."""
    home = tmp_path_factory.mktemp("docs")
    bin_dir = home / "bin"
    bin_dir.mkdir()
    for name in ("python", "python3"):  # a script, not a symlink: a venv's python knows its venv by its own path
        (bin_dir / name).write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
        (bin_dir / name).chmod(0o755)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("BOT_", "TELEGRAM_"))}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env['PATH']}", XDG_CACHE_HOME=str(home / "cache"),
               HOME=str(home), COLUMNS="200")

    pages = {f"/{path.name}": (200, "text/html; charset=utf-8", path.read_bytes())
             for path in (ROOT / "tests" / "fixtures").glob("*.html")}
    with serve(pages) as site:
        def run(command: str) -> subprocess.CompletedProcess:
            command = command.replace(".venv/bin/python", "python").replace(DOCS_SITE, site)
            return subprocess.run(["bash", "-c", command], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                  capture_output=True, text=True, timeout=300)
        yield run


@pytest.mark.parametrize("path", DOCS)
def test_documented_commands_print_what_the_docs_say(path, shell):
    drifted, failed, replacements = [], [], []
    for block in blocks(path):
        if block.skip:
            continue
        steps = transcript(block)
        for line, command, expected in steps:
            result = shell(command)
            actual = result.stdout.rstrip("\n").split("\n") if result.stdout.strip() else []
            if "Traceback" in result.stderr:
                failed.append(f"{path}:{line + 1}: $ {command}\n{result.stderr}")
            elif not matches(expected, actual):
                drifted.append(f"{path}:{line + 1}: $ {command}\n--- documented\n" + "\n".join(expected)
                               + "\n--- printed now\n" + "\n".join(actual))
                replacements.append((line + 1, len(expected), refreshed(expected, actual)))
        if not steps:
            for command in commands(block):
                result = shell(command)
                if result.returncode != 0 or "Traceback" in result.stderr:
                    failed.append(f"{path}:{block.first}: {command}\nexit {result.returncode}\n{result.stderr}")
    assert not failed, "documented commands fail:\n\n" + "\n\n".join(failed)
    if UPDATE and replacements:
        lines = (ROOT / path).read_text(encoding="utf-8").split("\n")
        for start, length, actual in sorted(replacements, reverse=True):
            lines[start:start + length] = actual
        (ROOT / path).write_text("\n".join(lines), encoding="utf-8")
    elif drifted:
        pytest.fail("the docs show other output than the bot prints now; if the change is meant, refresh them with "
                    "CITEBOT_UPDATE_DOCS=1 python -m pytest tests/test_docs.py\n\n" + "\n\n".join(drifted))


def test_inline_mentions_name_real_commands_and_options():
    from bot.__main__ import build_parser

    parser = build_parser()
    subparsers = next(action for action in parser._actions if action.dest == "command").choices
    for path in DOCS:
        text = (ROOT / path).read_text(encoding="utf-8")
        for mention in re.findall(r"`(?:\S*/)?python3? -m bot ([^`]*)`", text):
            name, *rest = mention.split()
            assert name in subparsers or name.startswith("-"), f"{path}: `python -m bot {mention}`"
            options = subparsers[name]._option_string_actions if name in subparsers else parser._option_string_actions
            for option in re.findall(r"(?<![\w-])--?[a-z][\w-]*", " ".join(rest)):
                assert option in options, f"{path}: `python -m bot {mention}`: {name} has no {option}"


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().split("\n")
    assert "rm -rf .venv" in ci, "CI must start from a fresh virtual environment"
    steps = ci[ci.index("rm -rf .venv") + 1:]
    commands = [step.split("  #")[0].strip().removeprefix("(").removesuffix(")") for step in steps]
    assert commands[0] == "scripts/setup.sh --test && .venv/bin/python -m pytest", "first the README's test command"
    assert [c for c in commands if f"```bash\n{c}\n```" not in readme] == [], "every step is in the README"
