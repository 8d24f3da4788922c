"""One article file in, its numbered paragraphs and their tokens out.

Every backend indexes through this one function, so the paragraphs, numbers and
tokens a question meets are the same whichever backend serves it; an article is
processed on its own, so a large folder can be streamed and spread over processes.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .articles import Article, ArticleError, read_article
from .chunk import Paragraph, number_blocks, part_spans
from .clean import clean, why_no_text
from .proper import ProperCounts
from .sentences import stored_facts, stored_tokens
from .tokenize import Tokens, analyze_phrases, phrases


@dataclass
class ArticleInfo:
    doc_id: str
    title: str
    language: str
    publisher: str
    paragraphs: int
    date: str | None = None  # ISO 8601, when the article gives one
    url: str = ""


@dataclass
class ProcessedArticle:
    info: ArticleInfo
    paragraphs: list[Paragraph]
    tokens: list[Tokens]
    proper: ProperCounts  # capitalisation counts, kept per article so removing it can subtract them
    word_keys: bytes | None = None  # `word_keys.pack` of its words, for a disk index: made by the tokenizing worker

    def __reduce__(self):
        """Pickled with each paragraph's tokens joined by spaces (a token holds no white space: tantivy's tokenizer
        splits them the same way): the indexing workers send every article to the writer, and a list of 4,000
        short strings pickled and unpickled an item at a time took the writer 1-3 ms an article."""
        return _unpacked, (self.info, self.paragraphs, [(" ".join(t.exact), " ".join(t.folded)) for t in self.tokens],
                           self.proper, self.word_keys)

    def words(self) -> frozenset[str]:
        """Every folded token of the article: what the article as a whole speaks of."""
        return frozenset().union(*(toks.folded for toks in self.tokens))


def _unpacked(info: ArticleInfo, paragraphs: list[Paragraph], tokens: list[tuple[str, str]],
              proper: ProperCounts, keys: bytes | None) -> ProcessedArticle:
    return ProcessedArticle(info, paragraphs, [Tokens(exact.split(), folded.split()) for exact, folded in tokens],
                            proper, keys)


def process(path: Path, max_bytes: int) -> ProcessedArticle:
    """Read, clean, number and tokenize one article; ArticleError names what is wrong."""
    return process_article(read_article(path, max_bytes), str(path))


def process_article(article: Article, name: str) -> ProcessedArticle:
    """Clean, number and tokenize an article read from `name` (a file, or a link being added)."""
    blocks = clean(article.lines, article.title)
    numbered = number_blocks(article.doc_id, article.title, article.language, blocks, article.date, article.url)
    if not any(p.kind in ("lead", "body") for p in numbered):
        raise ArticleError(f"{name}: no article text found ({why_no_text(article.lines)}); skipped")
    proper = ProperCounts()
    for paragraph in numbered:
        if paragraph.kind != "title":
            proper.add(paragraph.text)
    info = ArticleInfo(article.doc_id, numbered[0].title, article.language, article.publisher, len(numbered),
                       article.date, article.url)
    paragraphs, tokens = [], []
    for paragraph in numbered:
        # Pairs never cross the punctuation that ends a sentence or clause, so a paragraph's
        # tokens are its parts' tokens together: tokenizing the parts gives both.
        spans = part_spans(paragraph.text)
        runs = [phrases(paragraph.text[a:b]) for a, b, _, _ in spans]
        pieces = [analyze_phrases(r, paragraph.language) for r in runs]
        stored = [stored_tokens(set(p.folded)) for p in pieces]
        paragraphs.append(replace(paragraph, part_tokens="\t".join(t for t, _ in stored),
                                  part_words="\t".join(" ".join(w for run in r for w in run) for r in runs),
                                  part_facts=stored_facts(paragraph.text, spans, [n for _, n in stored])))
        tokens.append(Tokens([t for p in pieces for t in p.exact], [t for p in pieces for t in p.folded]))
    return ProcessedArticle(info, paragraphs, tokens, proper)
