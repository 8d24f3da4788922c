"""The two connections to the Bot API, as the ledger (ledger.py) sees them: what getUpdates
brings in is checked and journaled before PTB can acknowledge it; an answer is marked given
just before its first message goes out."""
from __future__ import annotations

import json

from telegram.request import BaseRequest

from .ledger import UpdateLedger, handling
from .updates import readable

SENDING = ("sendMessage",)  # the Bot API methods that give an answer; edits may be repeated safely


class Delegate(BaseRequest):
    """A request object that hands every call to `inner`, for the two below to add to."""

    def __init__(self, inner: BaseRequest, ledger: UpdateLedger):
        self.inner = inner
        self.ledger = ledger

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(self, url, method, request_data=None, read_timeout=BaseRequest.DEFAULT_NONE,
                         write_timeout=BaseRequest.DEFAULT_NONE, connect_timeout=BaseRequest.DEFAULT_NONE,
                         pool_timeout=BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        return await self.inner.do_request(url, method, request_data, read_timeout, write_timeout,
                                           connect_timeout, pool_timeout)


class AnswerRequest(Delegate):
    """The connection answers go through: the update being answered is marked in the ledger
    just before the first message of its reply is requested, and pending again if that fails."""

    async def do_request(self, url, method, request_data=None, *args, **kwargs) -> tuple[int, bytes]:
        update_id = handling.get()
        marked = update_id is not None and url.rsplit("/", 1)[-1] in SENDING and self.ledger.answering(update_id)
        try:
            status, payload = await super().do_request(url, method, request_data, *args, **kwargs)
        except BaseException:
            if marked:
                self.ledger.failed(update_id)
            raise
        if marked and status != 200:
            self.ledger.failed(update_id)
        return status, payload


class UpdatesRequest(Delegate):
    """The connection getUpdates goes through: what it returns is checked update by update and
    passed through the ledger before PTB parses it; the offset it sends tells the ledger what
    Telegram has forgotten."""

    async def do_request(self, url, method, request_data=None, *args, **kwargs) -> tuple[int, bytes]:
        offset = request_data.parameters.get("offset") if request_data is not None else None
        if isinstance(offset, int):
            self.ledger.acknowledged = max(self.ledger.acknowledged, offset)
        status, payload = await super().do_request(url, method, request_data, *args, **kwargs)
        try:
            body = json.loads(payload)
        except ValueError:
            return status, payload  # PTB reports what is no JSON
        if status != 200 or not isinstance(body, dict) or not isinstance(body.get("result"), list):
            return status, payload
        kept = [update for update in map(readable, body["result"]) if update is not None]
        body["result"] = self.ledger.take(kept)
        return status, json.dumps(body, ensure_ascii=False).encode()
