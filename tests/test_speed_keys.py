"""Dictionary keys built piece by piece are the keys of the whole phrase."""
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine.dictionary import en_key, vi_key
from index.chunk import sentences
from index.tokenize import fold, stem, words

from .conftest import DOCS, FIXTURE_ARTICLES

PIECES = ["Hà", "Nội", "hoà", "khuỷu", unicodedata.normalize("NFD", "Đinh Tiến"), "\u0301", "\u0323a", "Q", "qu",
          "7.79", "1,000", "24/6/1967", "4-6", "50%", "it's", "Sreng’s", "-", "–", ".", ",", ":", ";", "?", "(", ")",
          "\u200b", "\u00ad", "\ufeff", "\u202e", "“", "”", "…", "_", "x_y", "ÀÉ", "İ", "ß", "ﬁ", "Ⅻ", "²", "𝔸"]
SPACES = [" ", "  ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "\x1c", ""]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PIECES) | st.text(max_size=4), st.sampled_from(SPACES)), max_size=12))
def test_a_key_is_the_words_of_the_whole_phrase(chunks):
    phrase = "".join(piece + space for piece, space in chunks)
    assert vi_key.__wrapped__(phrase) == tuple(words(phrase))
    assert en_key.__wrapped__(phrase) == tuple(stem(fold(w)) for w in words(phrase))


def test_every_run_of_words_of_the_articles_keys_as_a_whole():
    for path in [*DOCS.iterdir(), *FIXTURE_ARTICLES.iterdir()]:
        for sentence in sentences(path.read_text("utf-8")):
            said = sentence.split()
            for i in range(len(said)):
                phrase = " ".join(said[i:i + 4])
                assert vi_key.__wrapped__(phrase) == tuple(words(phrase)), phrase
                assert en_key.__wrapped__(phrase) == tuple(stem(fold(w)) for w in words(phrase)), phrase


def test_the_dictionary_read_whole_answers_as_it_does_from_its_file():
    """A console or bot reads the dictionary's rows whole (`warm`): every phrase of the articles gets the
    same translations, Vietnamese words and words among its syllables' pairs as from SQLite."""
    from pathlib import Path

    from bot.engine import dictionary as module
    from bot.engine.cached import cached_file

    path = cached_file("dictionary", ".sqlite", [module.SOURCE, module.WORDS, Path(module.__file__)], module._write)
    on_disk, whole = module.Dictionary(path), module.Dictionary(path)
    whole.read_whole()
    phrases = {tuple(words(" ".join(sentence.split()[i:i + n])))
               for article in [*DOCS.iterdir(), *FIXTURE_ARTICLES.iterdir()] for sentence in sentences(article.read_text("utf-8"))
               for i in range(len(sentence.split())) for n in (1, 2, 3, 5)}
    found = 0
    for phrase in phrases:
        for language, accented in (("en", True), ("vi", True), ("vi", False)):
            translated = whole.translate(phrase, language, accented)
            assert translated == on_disk.translate(phrase, language, accented), phrase
            assert whole.is_word(phrase, accented) == on_disk.is_word(phrase, accented), phrase
            found += bool(translated)
    pairs = {phrase[:2] for phrase in phrases}
    assert whole.words_among(pairs) == on_disk.words_among(pairs)
    assert found > 500 and len(whole.words_among(pairs)) > 50
