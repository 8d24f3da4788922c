"""Configuration of the end-to-end tests (the real bot against the Bot API emulator)."""
from __future__ import annotations


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers",
        "e2e: end-to-end tests that run `python -m bot telegram` against the Bot API emulator "
        "(need Node.js; deselect with -m 'not e2e')",
    )
