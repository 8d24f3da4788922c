"""Articles added and removed from Telegram, through the real PTB application: an admin's file or link is
added and answered from, others are told only admins add articles, /remove asks before it removes."""
from __future__ import annotations

import asyncio
import json
import re
import shutil

import pytest
from telegram import Update

from bot.live import LiveEngine

from ..article_files import EN_ARTICLE, VI_ARTICLE, serve, story, web_page, word_file
from ..conftest import ROOT
from .offline import BOT_USER, OfflineRequest, message, offline_app, settings

ADMIN, OTHER = 1, 2
EN_TITLE = "Hanoi pushes for closer ties with Phnom Penh: Mayor"


class FileRequest(OfflineRequest):
    """The offline Bot API, with the files users sent: getFile and their download."""

    def __init__(self, files: dict[str, bytes]):
        super().__init__()
        self.files = files

    async def do_request(self, url, method, request_data=None, *timeouts, **kwargs):
        if "/file/bot" in url:
            return 200, self.files[url.rsplit("/", 1)[-1]]
        if url.endswith("/getFile"):
            file_id = request_data.parameters["file_id"]
            self.calls.append(("getFile", request_data.parameters))
            result = {"file_id": file_id, "file_unique_id": file_id, "file_size": len(self.files[file_id]),
                      "file_path": f"documents/{file_id}"}
            return 200, json.dumps({"ok": True, "result": result}).encode()
        return await super().do_request(url, method, request_data, *timeouts, **kwargs)


@pytest.fixture
def docs(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy2(VI_ARTICLE, folder)  # keeps its time: a finished file, not one being written
    return folder


@pytest.fixture
async def bot(docs, tmp_path):
    word_file(story(EN_ARTICLE), tmp_path / "release.docx")
    request = FileRequest({"doc1": (tmp_path / "release.docx").read_bytes(), "odt1": b"PK\x03\x04"})
    engine = LiveEngine(docs, tmp_path / "ix")
    async with offline_app(engine, request, settings=settings(admin_ids=frozenset({ADMIN}), docs_dir=docs,
                                                               index_dir=tmp_path / "ix")) as application:
        application.test_request = request
        application.test_engine = engine
        yield application


def _document(file_id: str, name: str, user_id: int, chat_id: int | None = None, chat_type="private") -> dict:
    update = message("", chat_id=chat_id or user_id, chat_type=chat_type, user_id=user_id)
    msg = update["message"]
    del msg["text"], msg["entities"]
    msg["document"] = {"file_id": file_id, "file_unique_id": file_id, "file_name": name, "file_size": 1000}
    return update


async def _say(app, update: dict) -> list[str]:
    """The bot's replies to `update` in its chat."""
    before, chat = len(app.test_request.sent()), update["message"]["chat"]["id"]
    await app.process_update(Update.de_json(update, app.bot))
    return [m["text"] for m in app.test_request.sent()[before:] if m["chat_id"] == chat]


async def _taken_in(app, title: str, held: bool = True) -> None:
    """Wait until the running bot's engine holds the article (or, `held` False, no longer does): it takes
    changes in before a question, but not sooner after its last reload than that reload took (a loaded
    machine's start can take a while)."""
    for _ in range(50):
        if any(a.title == title for a in app.test_engine.articles) == held:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the bot never took in that {title!r} was {'added' if held else 'removed'}")


async def _text(app, text: str, user_id: int, **kwargs) -> list[str]:
    kwargs.setdefault("chat_id", user_id)
    return await _say(app, message(text, user_id=user_id, **kwargs))


async def test_an_admins_file_is_added_and_answered_from(bot, docs):
    [reply] = await _say(bot, _document("doc1", "release.docx", ADMIN))
    assert reply.startswith(f"Added: <i>{EN_TITLE}</i>\nEnglish, 5 September 2022, 23 paragraphs.")
    assert (docs / "hanoi-pushes-for-closer-ties-with-phnom-penh-mayor.md").exists()
    await _taken_in(bot, EN_TITLE)
    [answer] = await _text(bot, "When did Khuong Sreng visit Hanoi?", OTHER)
    assert "September 4-6" in answer and f"{EN_TITLE}</i> (5 September 2022)" in answer
    [again] = await _say(bot, _document("doc1", "release.docx", ADMIN))
    assert again.startswith("Already there, not added again")


async def test_an_admins_link_is_added_in_their_language(bot, docs):
    with serve({"/a.html": (200, "text/html", web_page(story(EN_ARTICLE)).encode())}) as base:
        [reply] = await _text(bot, f"{base}/a.html", ADMIN, language_code="vi")
    assert reply.startswith(f"Đã thêm: <i>{EN_TITLE}</i>\nBài tiếng Anh, ngày 5/9/2022, 23 đoạn.")
    await _taken_in(bot, EN_TITLE)
    [answer] = await _text(bot, "When did Khuong Sreng visit Hanoi?", OTHER)
    assert "September 4-6" in answer and f"{base}/a.html" in answer


async def test_others_are_told_only_admins_add_articles(bot, docs):
    before = sorted(docs.iterdir())
    with serve({"/a.html": (200, "text/html", web_page(story(EN_ARTICLE)).encode())}) as base:
        [link] = await _text(bot, f"{base}/a.html", OTHER)
    [file] = await _say(bot, _document("doc1", "release.docx", OTHER))
    [group] = await _text(bot, "/add", OTHER, chat_id=-100, chat_type="group")
    assert link == file == group == ("Sorry, only the bot's administrators can add articles. "
                                     "Ask me a question about the articles instead.")
    assert sorted(docs.iterdir()) == before
    assert not bot.test_request.called("getFile")


async def test_in_a_group_an_admin_adds_with_add_as_a_reply(bot, docs):
    with serve({"/a.html": (200, "text/html", web_page(story(EN_ARTICLE)).encode())}) as base:
        assert await _text(bot, f"{base}/a.html", ADMIN, chat_id=-100, chat_type="group") == []  # chatter
        update = message("/add", user_id=ADMIN, chat_id=-100, chat_type="group")
        update["message"]["reply_to_message"] = {"message_id": 7, "date": 0, "text": f"{base}/a.html",
                                                 "chat": update["message"]["chat"], "from": update["message"]["from"]}
        [reply] = await _say(bot, update)
    assert reply.startswith(f"Added: <i>{EN_TITLE}</i>")
    [usage] = await _text(bot, "/add", ADMIN, chat_id=-100, chat_type="group")
    assert usage.startswith("To add an article, reply /add to a file")


async def test_a_failure_is_one_reply_and_nothing_is_written(bot, docs):
    before = sorted(docs.iterdir())
    with serve({}) as base:
        [missing] = await _text(bot, f"{base}/gone.html", ADMIN)
    [odt] = await _say(bot, _document("odt1", "notes.odt", ADMIN))
    assert missing == f"I could not add that article: {base}/gone.html: the server answered 404 Not Found"
    assert odt.startswith("I could not add that article: notes.odt: not a format articles are read from (.odt;")
    assert sorted(docs.iterdir()) == before


async def test_other_chats_are_answered_while_a_page_is_fetched(bot):
    question = "Đại sứ Việt Nam tại Campuchia là ai?"
    await _text(bot, question, OTHER)  # the engine's first answer loads its models
    with serve({"/slow.html": (200, "text/html", web_page(story(EN_ARTICLE)).encode())}, delay=3) as base:
        adding = asyncio.create_task(_text(bot, f"{base}/slow.html", ADMIN))
        await asyncio.sleep(0.3)
        [answer] = await _text(bot, question, OTHER)
        assert not adding.done() and "Nguyễn Huy Tăng" in answer
        [added] = await adding
    assert added.startswith("Added: ")


def _press(data: str, user_id: int, message_id: int) -> dict:
    chat = {"id": user_id, "type": "private"}
    return {"update_id": 900000 + message_id, "callback_query": {
        "id": str(message_id), "chat_instance": "c", "data": data,
        "from": {"id": user_id, "is_bot": False, "first_name": "Ann", "language_code": "en"},
        "message": {"message_id": message_id, "date": 0, "chat": chat, "from": BOT_USER, "text": "list"}}}


async def test_remove_lists_the_articles_and_asks_before_removing(bot, docs):
    await _say(bot, _document("doc1", "release.docx", ADMIN))
    assert await _text(bot, "/remove", OTHER) == ["This command is for the bot's administrators."]
    await _text(bot, "/remove", ADMIN)
    listing = bot.test_request.sent()[-1]
    assert listing["text"] == "Which article should I remove?"
    buttons = {b["text"]: b["callback_data"] for row in listing["reply_markup"]["inline_keyboard"]
               for b in row}
    assert len(buttons) == 2 and EN_TITLE in buttons

    async def press(data, user_id=ADMIN):
        await bot.process_update(Update.de_json(_press(data, user_id, 4242), bot.bot))
        return bot.test_request.called("editMessageText")[-1]

    confirm = await press(buttons[EN_TITLE])
    assert confirm["text"] == f"Remove <i>{EN_TITLE}</i>? I will no longer answer from it."
    yes, cancel = [b["callback_data"] for b in confirm["reply_markup"]["inline_keyboard"][0]]
    assert (await press(cancel))["text"] == "Nothing was removed."
    edits = len(bot.test_request.called("editMessageText"))
    await bot.process_update(Update.de_json(_press(yes, OTHER, 4243), bot.bot))
    assert len(bot.test_request.called("editMessageText")) == edits and len(list(docs.iterdir())) == 2
    assert (await press(yes))["text"] == f"Removed <i>{EN_TITLE}</i>."
    assert [p.name for p in docs.iterdir()] == [VI_ARTICLE.name]
    await _taken_in(bot, EN_TITLE, held=False)
    [answer] = await _text(bot, "When did Khuong Sreng visit Hanoi?", OTHER)
    assert EN_TITLE not in answer
    assert (await press(yes))["text"] == "That article is no longer there."


async def test_the_readme_shows_what_the_bot_says(bot, tmp_path):
    """The README's Telegram example, sent as written: each bot> message is what the bot replies."""
    readme = (ROOT / "README.md").read_text("utf-8")
    block = readme.split("tests/telegram/test_articles.py checks that the bot says this -->\n```text\n")[1]
    steps: list[tuple[str, str, list[str]]] = []  # (who, file sent, what the bot says)
    for line in block.split("\n```")[0].splitlines():
        who, _, said = line.partition("> ")
        if who in ("admin", "other"):
            steps.append((who, re.fullmatch(r"\(sends the file (\S+)\)", said).group(1), []))
        elif who == "bot":
            steps[-1][2].append(said.strip())
        else:
            steps[-1][2][-1] += "\n" + line.strip()
    bot.test_request.files.update({name: (ROOT / "tests" / "fixtures" / name).read_bytes() for _, name, _ in steps})
    for who, name, expected in steps:
        replies = await _say(bot, _document(name, name, ADMIN if who == "admin" else OTHER))
        assert [re.sub(r"</?i>", "", text) for text in replies] == expected
