"""Client for the Telegram Bot API emulator in ``tests/e2e/emulator``.

The emulator (``node server.js``) is a thin wrapper around the npm package
``telegram-test-api``; see ``tests/e2e/emulator/server.js``. This module starts
it on a free 127.0.0.1 port, lets tests act as Telegram users (inject updates)
and read back what the bot did (sent messages, recorded API calls).

Only the standard library and httpx are used.

Example::

    with TelegramEmulator() as emu:
        bot = subprocess.Popen([sys.executable, "-m", "bot", "telegram"],
                               env={**os.environ, **emu.bot_env()})
        try:
            emu.wait_until_polling()
            sent = emu.send_private_message("hello")
            [reply] = emu.wait_for_messages(sent["chat"]["id"], 1,
                                            after_message_id=sent["message_id"])
            assert "hello" in reply["plain_text"]
        finally:
            bot.terminate(); bot.wait(10)
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import httpx

EMULATOR_DIR = Path(__file__).resolve().parent / "emulator"
DEFAULT_TOKEN = "123456789:TEST-token-for-the-e2e-emulator"
DEFAULT_BOT_USERNAME = "TestNameBot"

Json = dict[str, Any]


class EmulatorError(RuntimeError):
    """The emulator could not be installed, started or queried."""


# --------------------------------------------------------------------- setup
def node_available() -> bool:
    """True when both ``node`` and ``npm`` are on PATH (tests can skip otherwise)."""
    return shutil.which("node") is not None and shutil.which("npm") is not None


def ensure_emulator_installed(
    emulator_dir: Path | str = EMULATOR_DIR, *, force: bool = False, timeout: float = 600.0
) -> Path:
    """Run ``npm ci`` in the emulator folder if its node_modules is missing.

    Returns the emulator folder. Raises :class:`EmulatorError` when npm is
    missing or fails.
    """
    folder = Path(emulator_dir)
    marker = folder / "node_modules" / "telegram-test-api" / "package.json"
    if marker.exists() and not force:
        return folder
    npm = shutil.which("npm")
    if npm is None:
        raise EmulatorError("npm is not installed; cannot install the Telegram emulator")
    proc = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0 or not marker.exists():
        raise EmulatorError(
            f"npm ci failed in {folder} (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    return folder


def make_user(
    user_id: int = 1001,
    first_name: str = "Alice",
    username: str | None = "alice",
    *,
    last_name: str | None = None,
    language_code: str | None = "en",
    **extra: Any,
) -> Json:
    """A Telegram ``User`` object for a (non-bot) test user."""
    user: Json = {"id": user_id, "is_bot": False, "first_name": first_name}
    if last_name:
        user["last_name"] = last_name
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    user.update(extra)
    return user


def private_chat(user: Json) -> Json:
    """The private ``Chat`` between the bot and ``user`` (chat id == user id)."""
    chat: Json = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
    for key in ("last_name", "username"):
        if user.get(key):
            chat[key] = user[key]
    return chat


def group_chat(
    chat_id: int = -1001234567890, title: str = "Test Group", chat_type: str = "supergroup", **extra: Any
) -> Json:
    """A group ``Chat``; ids of groups are negative (supergroups start with -100)."""
    if chat_id >= 0:
        raise ValueError("group chat ids must be negative")
    if chat_type not in ("group", "supergroup"):
        raise ValueError("chat_type must be 'group' or 'supergroup'")
    return {"id": chat_id, "type": chat_type, "title": title, **extra}


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


DEFAULT_USER = make_user()
DEFAULT_GROUP = group_chat()


# ------------------------------------------------------------------ emulator
class TelegramEmulator:
    """Start/stop the emulator process and talk to it as Telegram users.

    Use as a context manager (or call :meth:`start` / :meth:`stop`). The bot
    under test needs ``bot_env()``: ``TELEGRAM_BOT_TOKEN`` and
    ``TELEGRAM_API_BASE_URL`` (``http://127.0.0.1:<port>/bot``).

    Messages returned by the ``send_*`` helpers are the Telegram ``Message``
    dicts as delivered to the bot (with ``message_id``, ``date``, ``chat``...).
    Bot messages returned by :meth:`sent_messages` / :meth:`wait_for_messages`
    are dicts with keys ``message_id``, ``chat_id``, ``method``, ``text`` (as
    sent, e.g. HTML source), ``plain_text`` (as a user sees it, tags removed),
    ``parse_mode``, ``entities``, ``reply_to_message_id`` (from
    ``reply_parameters`` or ``reply_to_message_id``), ``reply_parameters``,
    ``reply_markup``, ``message_thread_id``, ``date``, ``edit_date``,
    ``deleted``, ``edits``, ``files``, ``params`` (all parameters of the
    call) and ``message`` (the ``Message`` object returned to the bot).
    Message ids come from one counter shared by users and the bot, so
    ``after_message_id=<id of the user's message>`` selects the bot's answers.
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        port: int = 0,
        bot_username: str = DEFAULT_BOT_USERNAME,
        bot_first_name: str = "Test Bot",
        emulator_dir: Path | str = EMULATOR_DIR,
        startup_timeout: float = 30.0,
        install: bool = True,
        strict_html: bool = True,
        node: str = "node",
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.emulator_dir = Path(emulator_dir)
        self.startup_timeout = startup_timeout
        self.install = install
        self.strict_html = strict_html
        self.node = node
        self._requested_port = port
        self.port: int | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path: Path | None = None
        self._log_file: Any = None
        self._http: httpx.Client | None = None
        self.process_returncode: int | None = None

    # ----------------------------------------------------------- lifecycle
    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>`` of the running emulator."""
        if self.port is None:
            raise EmulatorError("emulator is not running")
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base_url(self) -> str:
        """Value for PTB's ``ApplicationBuilder().base_url(...)`` / TELEGRAM_API_BASE_URL."""
        return f"{self.base_url}/bot"

    def bot_env(self) -> dict[str, str]:
        """Environment variables the bot process needs to talk to this emulator
        (merge into ``os.environ`` for ``subprocess.Popen(env=...)``)."""
        no_proxy = ",".join(x for x in (os.environ.get("NO_PROXY", ""), "127.0.0.1,localhost") if x)
        return {
            "TELEGRAM_BOT_TOKEN": self.token,
            "TELEGRAM_API_BASE_URL": self.api_base_url,
            # keep a configured HTTP(S)_PROXY from capturing loopback traffic
            "NO_PROXY": no_proxy,
            "no_proxy": no_proxy,
        }

    def start(self) -> TelegramEmulator:
        if self.process is not None:
            return self
        if shutil.which(self.node) is None:
            raise EmulatorError(f"{self.node!r} is not installed; cannot start the Telegram emulator")
        if self.install:
            ensure_emulator_installed(self.emulator_dir)
        fd, log_name = tempfile.mkstemp(prefix="tg-emulator-", suffix=".log")
        os.close(fd)
        self.log_path = Path(log_name)
        self._log_file = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        env = {
            **os.environ,
            "EMULATOR_BOT_USERNAME": self.bot_username,
            "EMULATOR_BOT_FIRST_NAME": self.bot_first_name,
            "EMULATOR_STRICT_HTML": "1" if self.strict_html else "0",
        }
        self.process = subprocess.Popen(
            [self.node, "server.js", str(self._requested_port)],
            cwd=self.emulator_dir,
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            env=env,
        )
        deadline = time.monotonic() + self.startup_timeout
        while True:
            port = self._ready_port()
            if port is not None:
                self.port = port
                break
            if self.process.poll() is not None:
                log = self.read_log()
                self._cleanup_process()
                raise EmulatorError(f"emulator exited with code {self.process_returncode} before READY:\n{log}")
            if time.monotonic() > deadline:
                log = self.read_log()
                self.stop()
                raise EmulatorError(f"emulator not ready after {self.startup_timeout}s:\n{log}")
            time.sleep(0.05)
        self._http = httpx.Client(base_url=self.base_url, timeout=10.0, trust_env=False)
        return self

    def _ready_port(self) -> int | None:
        for line in self.read_log().splitlines():
            if line.startswith("READY "):
                try:
                    return int(line.split()[1])
                except (IndexError, ValueError):
                    return None
        return None

    def read_log(self) -> str:
        """Everything the emulator printed so far (stdout and stderr)."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the emulator by its process id: SIGTERM, then SIGKILL after ``timeout``."""
        if self._http is not None:
            self._http.close()
            self._http = None
        proc = self.process
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout)
        self._cleanup_process()
        self.port = None

    def _cleanup_process(self) -> None:
        if self.process is not None:
            self.process_returncode = self.process.poll()
        self.process = None
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def __enter__(self) -> TelegramEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -------------------------------------------------------------- HTTP
    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        if self._http is None:
            raise EmulatorError("emulator is not running")
        resp = self._http.request(method, path, **kwargs)
        try:
            body = resp.json()
        except ValueError as err:
            raise EmulatorError(f"{method} {path}: HTTP {resp.status_code}: {resp.text[:500]}") from err
        if resp.status_code != 200 or not body.get("ok"):
            raise EmulatorError(f"{method} {path}: HTTP {resp.status_code}: {body.get('description', body)}")
        return body["result"]

    def _get(self, path: str, **params: Any) -> Any:
        clean = {k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items() if v is not None}
        return self._request("GET", path, params=clean)

    def _post(self, path: str, payload: Json) -> Any:
        return self._request("POST", path, json=payload)

    def bot_api(self, method: str, **params: Any) -> Any:
        """Call a Bot API method as the bot would (handy to test the emulator itself)."""
        return self._request("POST", f"/bot{self.token}/{method}", json=params)

    # -------------------------------------------------------- injecting
    def send_update(self, update: Json) -> Json:
        """Inject a raw Telegram ``Update`` (without ``update_id``) for the bot.

        Missing ``update_id``, ``message_id``, ``date`` (and ``edit_date``),
        ``callback_query.id`` and ``chat_instance`` are filled in; a
        ``reply_to_message`` / callback ``message`` given only as
        ``{"message_id": n, "chat": {...}}`` is completed from storage.
        Returns the update as the bot will receive it.
        """
        return self._post("/test/sendUpdate", {"token": self.token, "update": update})

    def send_raw_update(self, update: Any) -> Json:
        """Inject ``update`` exactly as given (any JSON, however malformed) but for a new
        ``update_id``; it reaches the bot whatever ``allowed_updates`` it asked for."""
        return self._post("/test/sendRawUpdate", {"token": self.token, "update": update})

    def send_message(
        self,
        text: str,
        *,
        user: Json | None = None,
        chat: Json | None = None,
        entities: Iterable[Json] | None = None,
        reply_to: Json | int | None = None,
        message_thread_id: int | None = None,
        **extra: Any,
    ) -> Json:
        """Send ``text`` from ``user`` in ``chat`` (default: the user's private chat).

        ``reply_to`` is a message dict (e.g. a bot message from
        :meth:`sent_messages`, or a message returned by a ``send_*`` helper)
        or a message id in the same chat. Returns the injected ``Message``.
        """
        user = user or DEFAULT_USER
        chat = chat or private_chat(user)
        message: Json = {"from": user, "chat": chat, "text": text}
        if entities:
            message["entities"] = list(entities)
        if message_thread_id is not None:
            message["message_thread_id"] = message_thread_id
            message["is_topic_message"] = True
        if reply_to is not None:
            message["reply_to_message"] = {"message_id": _message_id(reply_to), "chat": chat}
        message.update(extra)
        return self.send_update({"message": message})["message"]

    def send_private_message(self, text: str, *, user: Json | None = None, **kwargs: Any) -> Json:
        """A text message in the private chat between ``user`` and the bot."""
        user = user or DEFAULT_USER
        return self.send_message(text, user=user, chat=private_chat(user), **kwargs)

    def send_document(self, name: str, content: bytes, *, user: Json | None = None, chat: Json | None = None) -> Json:
        """``user`` sends the file ``name`` in ``chat`` (default: their private chat); the bot can download it."""
        user = user or DEFAULT_USER
        file_id = f"doc{time.monotonic_ns()}"
        self._post("/test/putFile", {"file_id": file_id, "content_base64": base64.b64encode(content).decode()})
        document = {"file_id": file_id, "file_unique_id": file_id, "file_name": name, "file_size": len(content)}
        return self.send_update({"message": {"from": user, "chat": chat or private_chat(user),
                                             "document": document}})["message"]

    def send_group_message(
        self,
        text: str,
        *,
        chat: Json | None = None,
        chat_id: int | None = None,
        chat_type: str = "supergroup",
        title: str = "Test Group",
        user: Json | None = None,
        **kwargs: Any,
    ) -> Json:
        """A text message in a group (``chat`` or one built from chat_id/chat_type/title)."""
        if chat is None:
            chat = group_chat(chat_id if chat_id is not None else DEFAULT_GROUP["id"], title, chat_type)
        return self.send_message(text, user=user, chat=chat, **kwargs)

    def send_command(
        self,
        command: str,
        args: str = "",
        *,
        mention_bot: bool | str = False,
        user: Json | None = None,
        chat: Json | None = None,
        **kwargs: Any,
    ) -> Json:
        """Send ``/command [args]`` with a ``bot_command`` entity.

        ``mention_bot=True`` appends ``@<bot_username>`` (``/start@TestNameBot``);
        a string appends that username instead (to address another bot).
        """
        name = command.lstrip("/")
        cmd = f"/{name}"
        if mention_bot:
            cmd += "@" + (mention_bot.lstrip("@") if isinstance(mention_bot, str) else self.bot_username)
        text = f"{cmd} {args}" if args else cmd
        entities = [{"type": "bot_command", "offset": 0, "length": utf16_len(cmd)}]
        return self.send_message(text, user=user, chat=chat, entities=entities, **kwargs)

    def send_mention(
        self,
        text: str,
        *,
        user: Json | None = None,
        chat: Json | None = None,
        username: str | None = None,
        **kwargs: Any,
    ) -> Json:
        """A message mentioning the bot (``@<bot_username> text`` unless ``text`` already
        contains the mention), with a ``mention`` entity; defaults to the default group."""
        mention = "@" + (username or self.bot_username).lstrip("@")
        if mention not in text:
            text = f"{mention} {text}"
        prefix = text[: text.index(mention)]
        entities = [{"type": "mention", "offset": utf16_len(prefix), "length": utf16_len(mention)}]
        return self.send_message(text, user=user, chat=chat or DEFAULT_GROUP, entities=entities, **kwargs)

    def reply_to_message(
        self, message: Json | int, text: str, *, user: Json | None = None, chat: Json | None = None, **kwargs: Any
    ) -> Json:
        """Reply with ``text`` to ``message`` (a bot message dict from
        :meth:`sent_messages`, a ``Message`` dict or a message id). The chat is
        taken from the message when it is a dict; the emulator fills in the
        full ``reply_to_message`` (for a bot message: ``from`` is the bot)."""
        if chat is None:
            chat = _chat_of(message)
        if chat is None and user is None:
            raise ValueError("pass chat= when replying to a bare message id")
        return self.send_message(text, user=user, chat=chat, reply_to=message, **kwargs)

    def edit_message(self, message: Json, new_text: str, *, entities: Iterable[Json] | None = None) -> Json:
        """Inject an ``edited_message`` update for a message sent earlier with a
        ``send_*`` helper. Returns the edited ``Message``."""
        edited = {k: v for k, v in message.items() if k not in ("text", "entities", "edit_date")}
        edited["text"] = new_text
        if entities:
            edited["entities"] = list(entities)
        return self.send_update({"edited_message": edited})["edited_message"]

    def send_callback_query(
        self,
        data: str,
        message: Json | int | None = None,
        *,
        user: Json | None = None,
        chat: Json | None = None,
        **extra: Any,
    ) -> Json:
        """Press an inline button: a ``callback_query`` with ``data`` on ``message``
        (a bot message dict or id; the emulator completes it from storage).
        Returns the injected ``CallbackQuery``; its ``id`` is what the bot passes
        to answerCallbackQuery (see :meth:`calls`)."""
        user = user or DEFAULT_USER
        query: Json = {"from": user, "data": data}
        if message is not None:
            msg_chat = chat or _chat_of(message) or private_chat(user)
            query["message"] = {"message_id": _message_id(message), "chat": msg_chat}
        query.update(extra)
        return self.send_update({"callback_query": query})["callback_query"]

    def press_button(self, message: Json, text: str | None = None, *, data: str | None = None, **kwargs: Any) -> Json:
        """Press the inline-keyboard button of bot ``message`` whose label is
        ``text`` (or whose callback_data is ``data``)."""
        markup = message.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if (text is not None and button.get("text") == text) or (
                    data is not None and button.get("callback_data") == data
                ):
                    return self.send_callback_query(button["callback_data"], message, **kwargs)
        raise EmulatorError(f"no inline button text={text!r} data={data!r} in {markup}")

    # ---------------------------------------------------------- reading
    def sent_messages(
        self, chat_id: int | None = None, *, after_message_id: int | None = None, include_deleted: bool = False
    ) -> list[Json]:
        """Messages the bot sent (any send* method), oldest first, optionally for one chat."""
        return self._get(
            "/test/sentMessages",
            token=self.token,
            chat_id=chat_id,
            after_message_id=after_message_id,
            include_deleted=include_deleted,
        )

    def wait_for_messages(
        self,
        chat_id: int | None,
        count: int = 1,
        *,
        after_message_id: int | None = None,
        timeout: float = 10.0,
        predicate: Callable[[Json], bool] | None = None,
        interval: float = 0.05,
    ) -> list[Json]:
        """Wait until at least ``count`` bot messages (matching ``predicate``) exist
        for ``chat_id`` (after ``after_message_id``); return all of them.
        Raises ``TimeoutError`` with what was seen when the deadline passes."""
        deadline = time.monotonic() + timeout
        while True:
            messages = self.sent_messages(chat_id, after_message_id=after_message_id)
            if predicate is not None:
                messages = [m for m in messages if predicate(m)]
            if len(messages) >= count:
                return messages
            if time.monotonic() >= deadline:
                raise TimeoutError(
                    f"expected {count} bot message(s) in chat {chat_id} after {after_message_id} "
                    f"within {timeout}s, got {len(messages)}: {[m.get('text') for m in messages]}"
                )
            time.sleep(interval)

    def wait_for_reply(self, message: Json, *, timeout: float = 10.0, count: int = 1) -> list[Json]:
        """Wait for the bot's answer(s) to a message injected with a ``send_*`` helper:
        bot messages in the same chat sent after it."""
        return self.wait_for_messages(
            message["chat"]["id"], count, after_message_id=message["message_id"], timeout=timeout
        )

    def assert_no_messages(
        self, chat_id: int | None, *, after_message_id: int | None = None, wait: float = 1.0
    ) -> None:
        """Wait ``wait`` seconds and fail if the bot sent anything to ``chat_id``."""
        time.sleep(wait)
        messages = self.sent_messages(chat_id, after_message_id=after_message_id)
        if messages:
            raise AssertionError(f"bot unexpectedly sent: {[m.get('text') for m in messages]}")

    def calls(self, method: str | None = None, *, after_seq: int | None = None) -> list[Json]:
        """Bot API calls the bot made (all except getUpdates), oldest first:
        dicts with ``seq``, ``time`` (ms), ``method`` and decoded ``params``.
        ``method`` is case-insensitive, e.g. ``"sendChatAction"``."""
        return self._get("/test/calls", token=self.token, method=method, after_seq=after_seq)

    def wait_for_call(
        self, method: str, count: int = 1, *, timeout: float = 10.0, predicate: Callable[[Json], bool] | None = None
    ) -> list[Json]:
        """Wait until the bot called ``method`` at least ``count`` times (matching ``predicate``)."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.calls(method) if predicate is None or predicate(c)]
            if len(found) >= count:
                return found
            if time.monotonic() >= deadline:
                raise TimeoutError(f"expected {count} {method} call(s) within {timeout}s, got {len(found)}")
            time.sleep(0.05)

    def chat_actions(self, chat_id: int | None = None) -> list[str]:
        """The ``action`` of every sendChatAction call (e.g. ``["typing"]``)."""
        return [
            c["params"].get("action")
            for c in self.calls("sendChatAction")
            if chat_id is None or str(c["params"].get("chat_id")) == str(chat_id)
        ]

    def updates(self) -> list[Json]:
        """Injected updates with ``confirmed`` (the bot fetched them and moved its offset past)."""
        return self._get("/test/updates", token=self.token)

    def state(self) -> Json:
        """Emulator state for this token: ``polling`` ({count, waiting, ...}),
        ``pending_updates``, ``bot_messages``, ``webhook``, ``bot``..."""
        return self._get("/test/state", token=self.token)

    def wait_until_polling(self, *, timeout: float = 30.0, process: subprocess.Popen[Any] | None = None) -> None:
        """Wait until the bot is long-polling (a getUpdates request is waiting).
        If ``process`` (the bot) exits meanwhile, fail at once."""
        deadline = time.monotonic() + timeout
        while True:
            if self.state()["polling"]["waiting"]:
                return
            if process is not None and process.poll() is not None:
                raise EmulatorError(f"bot process exited with code {process.returncode} before polling")
            if time.monotonic() >= deadline:
                raise TimeoutError(f"bot did not start polling within {timeout}s")
            time.sleep(0.05)

    def wait_until_updates_consumed(self, *, timeout: float = 10.0) -> None:
        """Wait until the bot has fetched and confirmed every injected update."""
        deadline = time.monotonic() + timeout
        while self.state()["pending_updates"]:
            if time.monotonic() >= deadline:
                raise TimeoutError("bot did not consume all updates")
            time.sleep(0.05)

    # ---------------------------------------------------------- control
    def set_response(
        self,
        method: str,
        result: Any = None,
        *,
        error_code: int | None = None,
        description: str | None = None,
        parameters: Json | None = None,
        times: int | None = None,
        match: Json | None = None,
        fault: str | None = None,
        delay_ms: int = 0,
    ) -> None:
        """Make the emulator answer ``method`` with ``result`` (or with an error,
        e.g. ``error_code=403, description="Forbidden: bot was blocked by the user"``),
        ``times`` times (``None``: until :meth:`reset`), optionally only when the
        call's params contain ``match``. ``fault="drop"`` closes the connection
        without an answer (nothing is done); ``fault="delay"`` carries the call out
        and answers after ``delay_ms``. The call is still recorded."""
        payload: Json = {"token": self.token, "method": method, "times": times, "match": match}
        if fault is not None:
            payload.update(fault=fault, delay_ms=delay_ms)
        elif error_code is not None:
            payload.update(error_code=error_code, description=description or "Error", parameters=parameters)
        else:
            payload["result"] = True if result is None else result
        self._post("/test/setResponse", payload)

    def set_bot_info(self, **fields: Any) -> Json:
        """Override fields of the bot's getMe answer (e.g. ``can_read_all_group_messages=True``)."""
        return self._post("/test/setBotInfo", {"token": self.token, **fields})

    def reset(self) -> None:
        """Forget messages, updates, calls and canned responses of this token
        (ids keep growing, so a running bot is not confused)."""
        self._post("/test/reset", {"token": self.token})


def _message_id(message: Json | int) -> int:
    if isinstance(message, int):
        return message
    return int(message["message_id"])


def _chat_of(message: Json | int) -> Json | None:
    if isinstance(message, int):
        return None
    if isinstance(message.get("chat"), dict):
        return message["chat"]
    inner = message.get("message")  # a bot-message view from sent_messages()
    if isinstance(inner, dict) and isinstance(inner.get("chat"), dict):
        return inner["chat"]
    return None


__all__ = [
    "DEFAULT_GROUP",
    "DEFAULT_TOKEN",
    "DEFAULT_USER",
    "EMULATOR_DIR",
    "EmulatorError",
    "TelegramEmulator",
    "ensure_emulator_installed",
    "group_chat",
    "make_user",
    "node_available",
    "private_chat",
    "utf16_len",
]
