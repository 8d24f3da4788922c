"""Every update answered once, even by a bot killed with SIGKILL and started again.

PTB acknowledges the updates it fetched with the offset of its next getUpdates, right
away, before they are answered: a bot killed then would lose them. So each update is
written to a journal beside the state file before PTB can acknowledge it, and marked
there as answered just before the first message of its reply goes to the Bot API (and
back to pending if that request fails), or once handled when it gets no message. At
start-up the updates fetched and never answered are handled first; Telegram sends again
those the killed bot had not acknowledged yet, and those the journal holds become bare
updates (their id alone), which no handler takes and which PTB acknowledges.

Marking before sending, not after: the answer then counts as given from the moment its
request leaves, so an answer the Bot API received before the kill, but whose response
the bot never read, is not sent twice. What is left is a request killed between its
mark and its bytes leaving the process, a few event-loop steps: that answer is lost.

The journal holds an update's text only until it is answered; it is rewritten with
only what it must keep every COMPACT_EVERY lines, and handled ids below the offset the
bot has acknowledged are dropped then, since Telegram never sends those again.
"""
from __future__ import annotations

import json
import logging
import os
from contextvars import ContextVar
from pathlib import Path

from telegram import Update
from telegram.ext import Application, SimpleUpdateProcessor

from .recent import Recent

log = logging.getLogger("citebot.telegram")
REMEMBERED = 10_000  # handled ids kept at most to recognise repeats (Telegram repeats one batch, 100)
COMPACT_EVERY = 2_000  # lines written before the journal is rewritten with only what it must keep
handling: ContextVar[int | None] = ContextVar("handling", default=None)  # the update a handler works on


class UpdateLedger:
    """The updates taken in and not yet handled, and the handled ones Telegram may still send
    again; in memory only when `path` is None."""

    def __init__(self, path: Path | None):
        self.path = path
        self.pending: dict[int, dict] = {}  # id -> the update as the Bot API sent it, until handled
        self.answered: set[int] = set()  # pending, and marked answered in the journal
        self.handled: Recent = Recent(REMEMBERED)  # id -> True, oldest first
        self.acknowledged = 0  # the offset of the last getUpdates: Telegram forgot every id below
        self._file = None
        self._lines = 0
        if path is not None:
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            lines = path.read_text("utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            lines = []
        except OSError as exc:
            log.warning("cannot read the update journal %s (%s); starting without it", path, exc)
            lines = []
        state: dict[int, str] = {}  # id -> its last mark: "answered", "failed" or "handled"
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # the last line of a killed bot may be cut short
            if not isinstance(entry, dict):
                continue
            if isinstance(entry.get("update_id"), int):
                self.pending.setdefault(entry["update_id"], entry)
                continue
            for mark in ("answered", "failed", "handled"):
                if isinstance(entry.get(mark), int):
                    state[entry[mark]] = mark
        in_doubt = [u for u, mark in state.items() if mark == "answered" and u in self.pending]
        for update_id, mark in state.items():
            if mark != "failed":
                self.pending.pop(update_id, None)
                self.handled[update_id] = True
        if in_doubt:
            log.warning("%d answers were on their way when the bot stopped; they may not have arrived and are "
                        "not sent again", len(in_doubt))
        self._rewrite()

    def take(self, updates: list[dict]) -> list[dict]:
        """The updates to hand on: new ones journaled, repeats made bare (their id alone)."""
        fresh, out = [], []
        for update in updates:
            update_id = update["update_id"]
            if update_id in self.pending or update_id in self.handled:
                out.append({"update_id": update_id})
            else:
                self.pending[update_id] = update
                fresh.append(update)
                out.append(update)
        self._write([json.dumps(u, ensure_ascii=False) for u in fresh])
        return out

    def answering(self, update_id: int) -> bool:
        """Mark `update_id` answered before its first message is requested; whether it was marked now."""
        if update_id not in self.pending or update_id in self.answered:
            return False
        self.answered.add(update_id)
        self._write([json.dumps({"answered": update_id})])
        return True

    def failed(self, update_id: int) -> None:
        """The request that marked `update_id` answered failed: it is pending again."""
        self.answered.discard(update_id)
        self._write([json.dumps({"failed": update_id})])

    def done(self, update: object) -> None:
        """`update` was handled; a bare one (a repeat, or one that could not be read) changes nothing."""
        if not isinstance(update, Update) or update.to_dict() == {"update_id": update.update_id}:
            return
        self.pending.pop(update.update_id, None)
        self.answered.discard(update.update_id)
        self.handled[update.update_id] = True
        self._write([json.dumps({"handled": update.update_id})])

    def _write(self, lines: list[str]) -> None:
        if self.path is None or not lines:
            return
        if self._lines >= COMPACT_EVERY:
            self._rewrite()
        try:
            if self._file is None:
                self._file = self.path.open("a", encoding="utf-8")
            self._file.write("".join(f"{line}\n" for line in lines))
            self._file.flush()  # in the kernel's hands: a killed process loses nothing written
            self._lines += len(lines)
        except OSError as exc:
            log.warning("cannot write the update journal %s (%s); a restart may lose or repeat answers", self.path, exc)

    def _rewrite(self) -> None:
        """The journal with only what it must keep: the updates not yet handled (and which of
        them are answered), the handled ids Telegram may still send again."""
        for update_id in [u for u in self.handled if u < self.acknowledged]:
            del self.handled[update_id]
        lines = [json.dumps(u, ensure_ascii=False) for u in self.pending.values()]
        lines += [json.dumps({"answered": u}) for u in self.answered]
        lines += [json.dumps({"handled": u}) for u in self.handled]
        try:
            if self._file is not None:
                self._file.close()
                self._file = None
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_name(self.path.name + ".tmp")
            temporary.write_text("".join(f"{line}\n" for line in lines), "utf-8")
            os.replace(temporary, self.path)
            self._lines = len(lines)
        except OSError as exc:
            log.warning("cannot write the update journal %s (%s); a restart may lose or repeat answers", self.path, exc)

    async def replay(self, application: Application) -> None:
        """Queue the updates a killed bot fetched and never answered, before any new one."""
        if self.pending:
            log.info("handling %d updates fetched before a restart and never answered", len(self.pending))
        for raw in sorted(self.pending.values(), key=lambda u: u["update_id"]):
            await application.update_queue.put(Update.de_json(raw, application.bot))


class LedgerProcessor(SimpleUpdateProcessor):
    """Updates handled concurrently, each marked in the ledger once its handlers are done
    (not when cancelled by a stop: then it is handled again after the restart)."""

    def __init__(self, max_concurrent_updates: int, ledger: UpdateLedger):
        super().__init__(max_concurrent_updates)
        self.ledger = ledger

    async def do_process_update(self, update: object, coroutine) -> None:
        token = handling.set(update.update_id if isinstance(update, Update) else None)
        try:
            await coroutine
        finally:
            handling.reset(token)
        self.ledger.done(update)
