"""Getting replies out: plain text when the HTML is refused, retries, an apology, splitting, each chat in order."""
import asyncio
import re

from telegram import Update

from bot.engine import Engine
from bot.telegram.ratelimit import UserRateLimit
from bot.telegram.split import split_message

from .offline import OfflineRequest, message, offline_app, settings, well_formed


async def test_unparseable_html_falls_back_to_plain_text(engine):
    request = OfflineRequest(fail={"sendMessage": (400, "Bad Request: can't parse entities: unexpected end tag")})
    async with offline_app(engine, request) as application:
        await application.process_update(Update.de_json(message(text="When did Khuong Sreng visit Hanoi?"),
                                                        application.bot))
        first, second = request.sent()
        assert first["parse_mode"] == "HTML" and "parse_mode" not in second
        assert "Sources:" in second["text"] and "<b>" not in second["text"]


async def test_a_server_error_is_retried_and_the_answer_arrives_once(engine):
    request = OfflineRequest(fail={"sendMessage": (502, "Bad Gateway")})
    async with offline_app(engine, request) as application:
        await application.process_update(Update.de_json(message(text="When did Khuong Sreng visit Hanoi?"),
                                                        application.bot))
        attempts = request.sent()
        assert len(attempts) == 2 and attempts[0] == attempts[1]  # one failed try, one delivered answer
        assert "September 4-6" in attempts[1]["text"]


async def test_a_failing_answer_gets_an_apology_in_the_users_language(tmp_path):
    class BrokenEngine:  # stands for a bug anywhere in answering
        articles = []

        def answer(self, *args, **kwargs):
            raise RuntimeError("boom")

    request = OfflineRequest()
    async with offline_app(BrokenEngine(), request) as application:
        await application.process_update(Update.de_json(message(text="Who met whom?", language_code="vi"),
                                                        application.bot))
        [apology] = request.sent()
        assert apology["text"].startswith("Xin lỗi")


async def test_long_replies_are_split_at_paragraphs(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(120):
        (docs / f"{n:03d}.txt").write_text(
            f"Delegation number {n} visits the partner city for cooperation talks\n\n"
            f"The delegation number {n} met city leaders on May {n % 28 + 1}, 2025 and agreed on trade.\n", "utf-8")
    request = OfflineRequest()
    async with offline_app(Engine.from_folder(docs, tmp_path / "ix"), request) as application:
        await application.process_update(Update.de_json(message(text="/sources"), application.bot))
        parts = [m["text"] for m in request.sent()]
        assert len(parts) >= 3
        assert all(len(p) <= 4096 and well_formed(p) for p in parts)
        assert "Delegation number 0 " in parts[0] and "Delegation number 119 " in parts[-1]
        assert all(p.split("\n")[-1].endswith("paragraphs") for p in parts)  # cut between entries


def test_split_never_cuts_inside_a_tag():
    html = "<i>" + "word " * 2000 + "</i>"
    parts = split_message(html, limit=500)
    assert len(parts) > 10
    assert all(len(p) <= 500 and well_formed(p) for p in parts)
    assert " ".join(re.sub(r"</?i>", "", p) for p in parts).split() == ["word"] * 2000


async def test_concurrent_updates_keep_each_chats_order(engine):
    request = OfflineRequest()
    async with offline_app(engine, request, settings=settings(user_rate=UserRateLimit(0, 1))) as application:
        questions = ["When did Khuong Sreng visit Hanoi?", "How many people live in Hanoi?", "Who met whom?"]
        updates = [message(text=f"{q}", chat_id=chat, user_id=chat) for chat in (201, 202, 203) for q in questions]
        await asyncio.gather(*(application.process_update(Update.de_json(u, application.bot)) for u in updates))
        for chat in (201, 202, 203):
            texts = [m["text"] for m in request.sent() if m["chat_id"] == chat]
            assert len(texts) == 3
            assert "September 4-6" in texts[0] and "nine million" in texts[1] and "meetings" in texts[2]
