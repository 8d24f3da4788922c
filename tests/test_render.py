"""Both languages' templates, as plain text and as escaped Telegram HTML."""
from bot.answer import Answer, Citation, Quote
from bot.render import full_text, message, shorten, to_json


def sample(language="en", text="Tom <b>&</b> Jerry met.", cited_language="en"):
    citation = Citation("doc", 3, text + " More text.", "A <title>", cited_language)
    return Answer("q?", language, True, "who_met", [Quote(text, 1, cited_language)], [citation])


def test_english_reply_has_answer_then_sources():
    text = full_text(sample())
    assert text.startswith("“Tom <b>&</b> Jerry met.” [1]")
    assert "Sources:\n[1] A <title>, ¶3: “Tom <b>&</b> Jerry met. More text.”" in text


def test_vietnamese_reply_and_cross_language_note():
    text = full_text(sample("vi"))
    assert text.startswith("Theo bài báo tiếng Anh: “Tom")
    assert "Nguồn:" in text and "đoạn 3" in text


def test_html_escapes_every_dynamic_piece():
    html = full_text(sample(), html=True)
    assert "Tom &lt;b&gt;&amp;&lt;/b&gt; Jerry" in html
    assert "<i>A &lt;title&gt;</i>" in html
    assert "<b>Sources:</b>" in html
    assert "<b>&</b>" not in html


def test_no_answer_in_both_languages():
    en = Answer("q", "en", False, "what")
    vi = Answer("q", "vi", False, "what")
    assert "The articles do not say" in full_text(en)
    assert "Các bài báo không nói" in full_text(vi)
    assert "Sources" not in full_text(en)


def test_json_shape():
    out = to_json(sample())
    assert set(out) == {"language", "answered", "answer", "citations", "text"}
    assert out["citations"] == [{"doc": "doc", "paragraph": 3, "text": "Tom <b>&</b> Jerry met. More text."}]
    assert "Sources" not in out["answer"] and "Sources" in out["text"]


def test_long_source_quotes_are_shortened_in_chat_not_in_json():
    long = "word " * 100
    answer = sample(text=long.strip())
    assert "…" in full_text(answer).split("Sources:")[1]
    assert to_json(answer)["citations"][0]["text"].startswith(long.strip())
    assert shorten("one two three", 7) == "one…"


def test_messages_exist_in_both_languages():
    for language in ("en", "vi"):
        for name in ("help", "start", "apology", "new_topic", "lang_usage"):
            kwargs = {"name": "Ann"} if name == "start" else {}
            assert message(name, language, **kwargs)
    assert "Ann" in message("start", "en", name="Ann")
    assert "<b>" in message("help", "vi", html=True)
