"""A bilingual question-answering bot that quotes and cites its articles.

engine (question -> Answer) sits between the index/ package and the adapters
(console, Telegram), which only translate between a transport and the engine.
"""
