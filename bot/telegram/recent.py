"""A mapping that forgets its oldest entries past a limit: what the bot remembers of the
answers it sent (their buttons, which message they answer) stays bounded however long it runs."""
from __future__ import annotations

from collections import OrderedDict


class Recent(OrderedDict):
    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.limit:
            self.popitem(last=False)
