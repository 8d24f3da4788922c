"""From a folder of pasted articles to a searchable index of numbered paragraphs.

read (articles) -> clean -> chunk -> tokenize -> search; store saves and reloads it.
Knows nothing of bots.
"""
