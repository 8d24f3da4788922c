"""What an operator may set about indexing. The caller passes it in: `index/` never reads
the environment, so a test, a benchmark or a second bot in one process can each have their own."""
from __future__ import annotations

from dataclasses import dataclass

from .articles import DEFAULT_MAX_ARTICLE_BYTES


@dataclass(frozen=True)
class IndexOptions:
    max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES  # a larger file is skipped by name
    xapian_shards: int = 2  # how many shards a new Xapian index is split into
    xapian_remotes: tuple[str, ...] = ()  # xapian-tcpsrv servers of the shards (host:port), in shard order
