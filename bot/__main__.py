"""Command line: `python -m bot {ask,console,index,telegram} --docs DIR ...`."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

# Set before numpy loads (index.store imports it): OpenBLAS otherwise starts a thread per core, 45 ms of
# CPU and 55 ms of wall time of a cold `ask` on 2 cores, for matrices (a question's candidates by the
# picker's features) far too small for it to share among threads. A value the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from index.store import BACKENDS  # noqa: E402 - numpy loads here, after the setting above

from . import config  # noqa: E402
from .config import Settings  # noqa: E402

USER_ERRORS = config.USER_ERRORS
LIST_ARTICLES = 50  # `index` lists each article of a folder up to this size


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--docs", metavar="DIR",
                        help="folder of articles (.txt, .md, .html, .pdf, .docx); default: $BOT_DOCS_DIR or the bundled docs_src/")
    parser.add_argument("--index-dir", metavar="DIR",
                        help="where the saved index lives; default: $BOT_INDEX_DIR or a per-folder cache in ~/.cache/citebot")
    parser.add_argument("--backend", choices=BACKENDS,
                        help="memory (rank-bm25), tantivy (on disk, for archives) or xapian (shards, see "
                             "BOT_XAPIAN_REMOTES); default: $BOT_INDEX_BACKEND or auto, which picks tantivy above "
                             "2 MB of articles")
    parser.add_argument("--encoder", action="store_true",
                        help="also use the multilingual sentence encoder (or BOT_ENCODER=on): sentence vectors "
                             "in a memory index (a disk one's with `index --vectors`), e5's nearest sentences among "
                             "the candidates, its picker")


def _port(value: str) -> int:
    port = int(value)
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port (1-65535)")
    return port


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Answer questions about news articles in Vietnamese or English, quoting and citing them.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    ask = sub.add_parser("ask", help="answer one question", description="Answer one question and exit.")
    ask.add_argument("question", nargs="+", help="the question (quote it, or pass it as several words)")
    ask.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    ask.add_argument("--lang", choices=("vi", "en"), help="answer in this language whatever the question's")
    _common(ask)

    console = sub.add_parser("console", help="ask questions interactively",
                             description="An interactive prompt; reads one question per line when stdin is not a terminal.")
    console.add_argument("--json", action="store_true", help="print one JSON object per answer")
    console.add_argument("--context-minutes", type=float, default=None,
                         help="how long a follow-up may refer to the previous question (default 30)")
    _common(console)

    index = sub.add_parser("index", help="(re)build the index and report on it",
                           description="Rebuild the index of the articles folder and report articles, paragraphs and time.")
    index.add_argument("--vectors", action="store_true",
                       help="also encode every sentence of a disk index (or BOT_VECTORS=on; implies --encoder): "
                            "hours for an archive, said first; Ctrl-C stops, running it again goes on from there")
    _common(index)

    telegram = sub.add_parser(
        "telegram", help="run the Telegram bot",
        description="Run the Telegram bot. The token comes only from TELEGRAM_BOT_TOKEN (environment or .env); "
                    "TELEGRAM_API_BASE_URL points it at another Bot API server (e.g. http://127.0.0.1:8081/bot). "
                    "Long polling by default; webhook mode with --webhook-url and TELEGRAM_WEBHOOK_SECRET.")
    telegram.add_argument("--webhook-url", help="public HTTPS URL Telegram posts updates to (enables webhook mode)")
    telegram.add_argument("--listen", default="127.0.0.1", help="address the webhook server binds (default 127.0.0.1)")
    telegram.add_argument("--port", type=_port, default=8443, help="port of the webhook server (default 8443)")
    telegram.add_argument("--url-path", default="telegram", help="path of the webhook endpoint (default telegram)")
    telegram.add_argument("--state-file", help="where chat settings (/lang) are kept; default: $BOT_STATE_FILE "
                                               "or ~/.local/state/citebot/telegram_chats.pickle")
    telegram.add_argument("--context-minutes", type=float, default=None,
                          help="how long a follow-up may refer to the previous question (default 30)")
    telegram.add_argument("--verbose", action="store_true",
                          help="also log the library's traceback when the bot cannot start (no network, revoked token)")
    _common(telegram)

    add = sub.add_parser("add", help="add articles to the folder from files or links",
                         description="Read each SOURCE (a .txt, .md, .html, .pdf or .docx file, or an http(s) link) "
                                     "and write its article into the folder as a .md file named after its title.")
    add.add_argument("source", nargs="+", metavar="SOURCE", help="a file or an http(s) link")
    _common(add)
    remove = sub.add_parser("remove", help="take an article out of the folder",
                            description="Delete an article file from the folder.")
    remove.add_argument("name", metavar="NAME", help="the article's file name, with or without its extension")
    _common(remove)
    return parser


def cmd_ask(args, settings: Settings) -> int:
    from index.store import IndexDamaged

    from .engine import Engine
    from .live import bounded, say_rebuilding
    from .render import full_text, to_json

    question = bounded(" ".join(args.question))
    encoder = _encoder(settings)
    engine = Engine.from_folder(settings.docs_dir, settings.index_dir, backend=settings.backend, options=settings.index,
                                encoder=encoder)
    try:
        answer = engine.answer(question, language=args.lang)
    except IndexDamaged as exc:  # a disk index that opened but failed to search
        say_rebuilding(exc)
        engine = Engine.from_folder(settings.docs_dir, settings.index_dir, rebuild=True, backend=settings.backend,
                                    options=settings.index, encoder=encoder)
        answer = engine.answer(question, language=args.lang)
    if args.json:
        print(json.dumps(to_json(answer), ensure_ascii=False))
    else:
        print(full_text(answer))
    return 0 if answer.kind != "empty" else USER_ERRORS


def _encoder(settings: Settings, wanted: bool | None = None):
    """The sentence encoder behind the vector cache when asked for (`wanted`, by default the
    setting), unless it cannot load (then one line on stderr says why, and the bot answers from
    words alone)."""
    if not (settings.encoder if wanted is None else wanted):
        return None
    from index.vectors import cached_encoder

    return cached_encoder()


def cmd_index(args, settings: Settings) -> int:
    from index.archive_vectors import EncodingStopped, archive_vectors
    from index.articles import one_line
    from index.store import IndexUnwritable, build, default_index_dir, save

    index_dir = settings.index_dir or default_index_dir(settings.docs_dir)
    started = time.perf_counter()
    encoder = _encoder(settings, settings.encoder or settings.vectors)
    lexical = None  # why a disk index has no sentence vectors
    try:
        index = build(settings.docs_dir, index_dir, settings.backend, settings.index, encoder)
        if index.backend == "memory":
            save(index, index_dir)
        elif encoder is not None:
            index.vectors, lexical = archive_vectors(index, index_dir, encoder, build=settings.vectors)
    except EncodingStopped as exc:
        print(f"vectors: stopped; {exc.encoded:,} of {exc.total:,} sentences encoded and kept: run the same "
              "command again to encode the rest", file=sys.stderr)
        return 130
    except (OSError, IndexUnwritable) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        print(one_line(f"error: cannot write the index in {index_dir} ({reason})"), file=sys.stderr)
        return USER_ERRORS
    elapsed = time.perf_counter() - started
    for problem in index.problems:
        print(one_line(f"warning: {problem}"), file=sys.stderr)
    if len(index.articles) <= LIST_ARTICLES:
        for art in index.articles:
            dated = f" ({art.date})" if art.date else ""
            print(one_line(f"  {art.doc_id}  [{art.language}] {art.paragraphs:4d} paragraphs  {art.title}{dated}"))
    print(f"indexed {len(index.articles)} articles, {index.paragraph_count} paragraphs "
          f"({index.backend}) in {elapsed:.2f} s -> {index_dir}")
    if index.vectors is not None:
        print(f"sentence vectors: {len(index.vectors.rows)}, of which {encoder.encoded} newly encoded "
              f"in {encoder.encoding_seconds:.2f} s ({index.vectors.name})")
    elif lexical is not None:
        print(one_line(f"sentence vectors: none; {lexical}"))
    return 1 if index.problems else 0  # the rest is indexed, but a script should notice


def cmd_console(args, settings: Settings) -> int:
    from .console import run
    from .live import LiveEngine

    engine = LiveEngine(settings.docs_dir, settings.index_dir, settings.backend, settings.index, _encoder(settings))
    return run(engine, json_lines=args.json, context_minutes=settings.context_minutes)


def cmd_add(args, settings: Settings) -> int:
    from index.articles import one_line

    from .library import SourceError, add

    failed = False
    for source in args.source:
        try:
            added = add(source, settings.docs_dir, settings.index.max_article_bytes)
        except SourceError as exc:
            print(one_line(f"error: {exc}"), file=sys.stderr)
            failed = True
            continue
        said = "added" if added.new else "already there, not added again:"
        print(one_line(f"{said} {added.path.name}: {added.title} ({added.language}, {added.date or 'no date'}, "
                       f"{added.paragraphs} paragraphs)"))
    return USER_ERRORS if failed else 0


def cmd_remove(args, settings: Settings) -> int:
    from index.articles import one_line

    from .library import SourceError, remove

    try:
        removed = remove(args.name, settings.docs_dir)
    except SourceError as exc:
        print(one_line(f"error: {exc}"), file=sys.stderr)
        return USER_ERRORS
    print(one_line(f"removed {removed.name}"))
    return 0


def cmd_telegram(args, settings: Settings) -> int:
    from .telegram.run import run

    return run(args, settings)


def main(argv: list[str] | None = None) -> int:
    config.load_env_file()
    args = build_parser().parse_args(argv)
    from index.articles import DocsError

    handler = {"ask": cmd_ask, "index": cmd_index, "console": cmd_console, "telegram": cmd_telegram, "add": cmd_add,
               "remove": cmd_remove}[args.command]
    try:
        return handler(args, Settings.read(args))
    except (DocsError, config.ConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USER_ERRORS
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `python -m bot ask ... | head`: the reader left, nothing to report
        sys.stderr.close()
        return 0
    except ConnectionError as exc:  # a search shard that is down (BOT_XAPIAN_REMOTES)
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _leave(status: int) -> None:
    """End a one-shot `ask` without tearing the interpreter down: freeing every module and the index
    object by object is 30 ms of its CPU, where the kernel takes the whole process back at once. Its
    output is flushed first; nothing else is pending (the console's history, saved at exit, is not its)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # `ask ... | head` stopped reading, and main() closed stderr: nothing to report
            pass
    os._exit(status)


if __name__ == "__main__":
    status = main()
    if sys.argv[1:2] == ["ask"]:
        _leave(status)
    sys.exit(status)
