"""The shortcuts an answer takes for speed give what the plain reading gives, on the articles' own text."""
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine.dictionary import MAX_TRANSLATION_WORDS, TABLES, dictionary, en_key
from bot.engine.questions import glossary
from bot.engine.short.about import _glossed
from index.sentences import _CASED_MONTH, _DATE, text_facts
from index.tokenize import fold, words

from .conftest import DOCS, FIXTURE_ARTICLES
from .test_speed_keys import PIECES, SPACES

TEXTS = [path.read_text("utf-8") for path in [*DOCS.iterdir(), *FIXTURE_ARTICLES.iterdir()]]


def _marks_dropped(text: str) -> str:
    """Folding as its docstring says: decomposed, every combining mark dropped, đ read d."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d").replace("Đ", "D")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES + SPACES) | st.text(max_size=6), max_size=30))
def test_folding_drops_every_mark_and_nothing_else(pieces):
    text = "".join(pieces)
    assert fold.__wrapped__(text) == _marks_dropped(text)


def test_an_article_folds_as_its_characters_do():
    for text in TEXTS:
        assert fold.__wrapped__(text) == _marks_dropped(text)
        said = words(text)
        # A candidate's words are folded as one text (`Candidate.folded`).
        assert fold.__wrapped__(" ".join(said)).split(" ") == [fold(w) for w in said]


def _longest_first(text: str, language: str) -> list[int]:
    """The glossary groups of a text, trying every phrase length from the longest down."""
    said, table = words(text), glossary()
    longest = max(len(k) for k in table)
    found, i = [], 0
    while i < len(said):
        n = next((n for n in range(min(longest, len(said) - i), 0, -1) if en_key(" ".join(said[i:i + n])) in table), 0)
        if n and not (language == "vi" and n == 1):
            found.extend(table[en_key(" ".join(said[i:i + n]))][:1])
        i += max(n, 1)
    return found


def test_a_quotes_glossary_terms_are_its_longest_phrases():
    for text in TEXTS:
        for paragraph in text.split("\n\n"):
            for language in ("vi", "en"):
                assert _glossed(paragraph, language) == _longest_first(paragraph, language)
    assert any(_glossed(text, "vi") for text in TEXTS)


def test_no_dictionary_key_is_longer_than_a_lookup_asks():
    tables = dictionary()
    for table in TABLES:
        (longest,) = tables._db.execute(
            f"SELECT max(length(key) - length(replace(key, ' ', '')) + 1) FROM {table}").fetchone()
        assert 1 < longest <= MAX_TRANSLATION_WORDS, table


DATE_PIECES = ["March", "march", "MARCH", "May 4", "may", "1967", "1800s", "19th century", "thế kỷ XIX", "Thứ Hai",
               "NGÀY 5", "hôm nay", "the same day", "AD 79", "4/9", "centurieſ", "Frıday", "İstanbul", "Kelvin"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(DATE_PIECES + PIECES + SPACES) | st.text(max_size=6), max_size=20))
def test_a_text_holds_a_date_as_the_case_blind_pattern_reads_it(pieces):
    """`text_facts` matches the date pattern on the text in lower case, faster than ignoring case."""
    text = "".join(pieces)
    read = any(not _CASED_MONTH.fullmatch(m.group().capitalize()) or m.group()[0].isupper()
               for m in _DATE.finditer(text))
    assert text_facts(text).date == read
