'use strict';
/*
 * Telegram Bot API emulator for end-to-end tests.
 *
 * A thin layer over the npm package `telegram-test-api` (pinned in
 * package.json): its TelegramServer supplies the storage (user updates, bot
 * messages), the update/message id counters, the webhook registry and the
 * user-side client routes (/sendMessage, /sendCommand, /sendCallback,
 * /getUpdates, /getUpdatesHistory). This file fixes what breaks
 * python-telegram-bot 22 and adds a few test-only routes under /test/.
 *
 * Usage:  node server.js [port]     (or EMULATOR_PORT=...; 0 = pick a free port)
 * Binds 127.0.0.1 only, prints exactly one line `READY <port>` on stdout once
 * it listens, and exits with code 0 on SIGTERM / SIGINT.
 *
 * Bot side:   <base>/bot<token>/<method>   (GET or POST; JSON, urlencoded or multipart)
 * Test side:  POST /test/sendUpdate      {token, update}  -> stored update (ids/dates filled in)
 *             POST /test/sendRawUpdate   {token, update}  -> stored as given but for a new update_id,
 *                                         delivered whatever allowed_updates says (malformed updates)
 *             GET  /test/sentMessages?token=&chat_id=&after_message_id=&include_deleted=
 *             GET  /test/calls?token=&method=&after_seq=
 *             GET  /test/updates?token=
 *             GET  /test/state?token=
 *             POST /test/setResponse     {method, result | error_code+description | fault: drop|delay
 *                                         (+delay_ms), times, match}
 *             POST /test/setBotInfo      {token, ...User fields}
 *             POST /test/reset           {token?}
 *             POST /test/putFile         {file_id, content_base64}: a file a user sent, for getFile
 *                                         and its download at <base>/file/bot<token>/files/<file_id>
 */

const http = require('http');
const express = require('express');
const TelegramServer = require('telegram-test-api');

const HOST = '127.0.0.1';
const rawPort = process.argv[2] !== undefined ? process.argv[2] : (process.env.EMULATOR_PORT || '0');
const PORT = Number(rawPort);
if (!Number.isInteger(PORT) || PORT < 0 || PORT > 65535) {
  console.error(`invalid port: ${rawPort}`);
  process.exit(2);
}
const STRICT_HTML = process.env.EMULATOR_STRICT_HTML !== '0';
const MAX_FILE_CONTENT = 1024 * 1024; // keep uploaded file bytes (base64) up to this size

// storeTimeout is only used by the package's clean-up daemon, which runs only
// when tg.start() is called; we serve tg.webServer from our own HTTP server.
const tg = new TelegramServer({ port: PORT, host: HOST, storeTimeout: 7 * 24 * 3600 });

const state = {
  calls: [], // every Bot API call except getUpdates: {seq, time, token, method, params}
  callSeq: 0,
  polls: new Map(), // token -> {count, waiting, last_offset, last_at}
  waiters: new Map(), // token -> {finish(status, body)} of the pending long poll
  responses: [], // canned responses set by tests
  chats: new Map(), // String(chat id) -> Chat learned from injected updates
  botInfo: new Map(), // token -> getMe overrides
  commands: new Map(), // token|scope|language -> [BotCommand]
};

const userFiles = new Map(); // file_id -> Buffer: the files users sent (POST /test/putFile)
const nowSec = () => Math.floor(Date.now() / 1000);
const clone = (o) => (o === undefined ? o : JSON.parse(JSON.stringify(o)));

class ApiError extends Error {
  constructor(code, description, parameters) {
    super(description);
    this.code = code;
    this.description = description;
    this.parameters = parameters;
  }
}
const badRequest = (msg) => new ApiError(400, `Bad Request: ${msg}`);

// ---------------------------------------------------------------- bot user
function botUser(token) {
  const m = /^(\d+):/.exec(token);
  return {
    id: m ? Number(m[1]) : 666,
    is_bot: true,
    first_name: process.env.EMULATOR_BOT_FIRST_NAME || 'Test Bot',
    username: process.env.EMULATOR_BOT_USERNAME || 'TestNameBot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    ...(state.botInfo.get(token) || {}),
  };
}

// ------------------------------------------------------ parameter parsing
// PTB posts application/x-www-form-urlencoded (or multipart when uploading
// files) where every non-string value is JSON-encoded; other clients post
// JSON. Bring both to the same typed object.
const TEXT_KEYS = new Set([
  'text', 'caption', 'parse_mode', 'caption_parse_mode', 'data', 'callback_query_id', 'action',
  'url', 'title', 'description', 'short_description', 'name', 'query', 'secret_token', 'emoji',
  'question', 'explanation', 'explanation_parse_mode', 'inline_message_id', 'address',
  'phone_number', 'first_name', 'last_name', 'vcard', 'business_connection_id',
  'message_effect_id', 'language_code', 'ip_address', 'sticker', 'photo', 'document', 'audio',
  'video', 'voice', 'video_note', 'animation', 'thumbnail', 'file_id', 'payload', 'currency',
  'provider_token', 'start_parameter', 'foursquare_id', 'google_place_id', 'custom_title',
  'question_parse_mode', 'text_parse_mode', 'result_id', 'error_message', 'shipping_query_id',
  'pre_checkout_query_id', 'invite_link', 'sticker_set_name', 'set_name', 'format',
]);
const JSON_KEYS = new Set([
  'reply_markup', 'reply_parameters', 'entities', 'caption_entities', 'link_preview_options',
  'commands', 'scope', 'allowed_updates', 'media', 'results', 'options', 'permissions',
  'reaction', 'explanation_entities', 'message_ids', 'menu_button', 'rights', 'button',
  'question_entities', 'prices', 'input_message_content', 'stickers', 'mask_position',
]);

function coerce(key, value) {
  if (typeof value !== 'string' || TEXT_KEYS.has(key)) return value;
  const looksJson = /^\s*[[{]/.test(value);
  if (JSON_KEYS.has(key) || looksJson) {
    try { return JSON.parse(value); } catch (_e) { return value; }
  }
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(value) && (key.endsWith('_id') || key.endsWith('_ids')
      || ['offset', 'limit', 'timeout', 'cache_time', 'until_date', 'duration', 'width',
        'height', 'latitude', 'longitude', 'horizontal_accuracy', 'live_period', 'heading',
        'proximity_alert_radius', 'open_period', 'close_date', 'correct_option_id',
        'max_connections', 'expire_date', 'member_limit', 'length'].includes(key))) {
    const n = Number(value);
    if (Number.isSafeInteger(n) || !Number.isInteger(n)) return n;
  }
  return value;
}

function normalizeParams(obj) {
  const out = {};
  for (const [k, v] of Object.entries(obj || {})) out[k] = coerce(k, v);
  return out;
}

async function parseMultipart(req) {
  // Node's built-in fetch Response understands multipart/form-data bodies.
  const form = await new Response(req.body, { headers: { 'content-type': req.headers['content-type'] } }).formData();
  const params = {};
  const files = {};
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') {
      params[name] = value;
    } else {
      const buf = Buffer.from(await value.arrayBuffer());
      files[name] = {
        filename: value.name || null,
        content_type: value.type || null,
        size: buf.length,
        content_base64: buf.length <= MAX_FILE_CONTENT ? buf.toString('base64') : null,
      };
    }
  }
  return { params, files };
}

// --------------------------------------------------------- HTML parse mode
// Mirrors Telegram's (TDLib's) HTML parser closely enough to reject what
// Telegram rejects ("can't parse entities") and to compute plain text +
// entities the way Telegram returns them.
const HTML_TAGS = {
  b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline',
  s: 'strikethrough', strike: 'strikethrough', del: 'strikethrough', span: 'spoiler',
  'tg-spoiler': 'spoiler', a: 'text_link', code: 'code', pre: 'pre', blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};
const NAMED_ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"' };

function parseHtml(src) {
  const byteOffset = (i) => Buffer.byteLength(src.slice(0, i));
  const cantParse = (msg) => badRequest(`can't parse entities: ${msg}`);
  let out = '';
  const stack = [];
  const entities = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '&') {
      const m = /^&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,4});/.exec(src.slice(i, i + 12));
      let ch = null;
      if (m) {
        const e = m[1];
        if (e[0] === '#') {
          const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
          if (cp > 0 && cp <= 0x10ffff) ch = String.fromCodePoint(cp);
        } else if (NAMED_ENTITIES[e]) {
          ch = NAMED_ENTITIES[e];
        }
      }
      if (ch !== null) { out += ch; i += m[0].length; } else { out += c; i += 1; }
      continue;
    }
    if (c !== '<') { out += c; i += 1; continue; }
    const begin = i;
    const close = src.indexOf('>', i);
    if (close === -1) throw cantParse(`unclosed start tag at byte offset ${byteOffset(begin)}`);
    const inner = src.slice(i + 1, close);
    i = close + 1;
    if (inner.startsWith('/')) {
      const name = inner.slice(1).trim().toLowerCase();
      if (!stack.length) throw cantParse(`unexpected end tag at byte offset ${byteOffset(begin)}`);
      const top = stack.pop();
      if (top.name !== name) {
        throw cantParse(`unmatched end tag at byte offset ${byteOffset(begin)}, expected "</${top.name}>", found "</${name}>"`);
      }
      const length = out.length - top.start;
      if (top.skip || length === 0) continue;
      const entity = { type: top.type, offset: top.start, length };
      if (top.type === 'text_link') {
        if (!top.attrs.href) continue; // <a> without href is plain text
        entity.url = top.attrs.href;
      }
      if (top.type === 'custom_emoji') entity.custom_emoji_id = top.attrs['emoji-id'];
      if (top.type === 'pre' && top.language) entity.language = top.language;
      if (top.type === 'blockquote' && 'expandable' in top.attrs) entity.type = 'expandable_blockquote';
      entities.push(entity);
      continue;
    }
    const nameMatch = /^[^\s>]*/.exec(inner);
    const name = nameMatch[0].toLowerCase();
    if (!Object.prototype.hasOwnProperty.call(HTML_TAGS, name)) {
      throw cantParse(`unsupported start tag "${name}" at byte offset ${byteOffset(begin)}`);
    }
    const attrs = {};
    const attrRe = /([a-zA-Z_:-][a-zA-Z0-9_:.-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
    let am;
    const attrText = inner.slice(nameMatch[0].length);
    while ((am = attrRe.exec(attrText)) !== null) {
      let v = am[2] !== undefined ? am[2] : (am[3] !== undefined ? am[3] : (am[4] !== undefined ? am[4] : ''));
      v = v.replace(/&(lt|gt|amp|quot);/g, (_m, e) => NAMED_ENTITIES[e]);
      attrs[am[1].toLowerCase()] = v;
    }
    if (name === 'span' && attrs.class !== 'tg-spoiler') {
      throw cantParse(`tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(begin)}`);
    }
    const frame = { name, type: HTML_TAGS[name], start: out.length, attrs };
    // <pre><code class="language-xx">: Telegram merges into one pre entity with a language.
    const parent = stack[stack.length - 1];
    if (name === 'code' && parent && parent.name === 'pre' && parent.start === out.length) {
      const lang = /^language-(.+)$/.exec(attrs.class || '');
      if (lang) { parent.language = lang[1]; frame.skip = true; }
    }
    stack.push(frame);
  }
  if (stack.length) {
    throw cantParse(`can't find end tag corresponding to start tag "${stack[stack.length - 1].name}"`);
  }
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: out, entities };
}

// Telegram strips leading/trailing whitespace from message texts.
function renderText(text, parseMode, givenEntities, { what = 'message text', max = 4096 } = {}) {
  if (text === undefined || text === null) return { text: undefined, entities: undefined };
  let plain = String(text);
  let entities = Array.isArray(givenEntities) && givenEntities.length ? givenEntities : undefined;
  const mode = typeof parseMode === 'string' ? parseMode.toLowerCase() : '';
  if (mode === 'html') {
    if (STRICT_HTML) {
      const parsed = parseHtml(plain);
      plain = parsed.text;
      entities = parsed.entities.length ? parsed.entities : undefined;
    } else {
      plain = plain.replace(/<[^>]*>/g, '').replace(/&(lt|gt|amp|quot);/g, (_m, e) => NAMED_ENTITIES[e]);
    }
  }
  if (!plain.trim()) throw badRequest(`${what} is empty`);
  if (plain.length > max) throw badRequest(what === 'message text' ? 'message is too long' : `${what} is too long`);
  return { text: plain, entities };
}

// ---------------------------------------------------------------- storage
function chatFor(chatId) {
  const known = state.chats.get(String(chatId));
  if (known) return clone(known);
  const n = Number(chatId);
  if (!Number.isFinite(n)) {
    return { id: -1001000000000, type: 'channel', title: String(chatId), username: String(chatId).replace(/^@/, '') };
  }
  if (n < 0) return { id: n, type: n <= -1000000000000 ? 'supergroup' : 'group', title: `Group ${n}` };
  return { id: n, type: 'private', first_name: `User${n}` };
}

function rememberChat(chat) {
  if (chat && chat.id !== undefined) state.chats.set(String(chat.id), clone(chat));
}

const botEntries = (token) => tg.storage.botMessages.filter((e) => e.botToken === token && e.result);

function userMessageOf(entry) {
  if (entry.raw) {
    const u = entry.raw;
    return u.message || u.edited_message || u.channel_post || u.edited_channel_post
      || u.business_message || u.edited_business_message;
  }
  return entry.message ? { ...entry.message, message_id: entry.messageId } : undefined;
}

// Find a message (bot's or injected user's) by chat and id; latest version wins.
function findMessage(token, chatId, messageId) {
  const bot = botEntries(token).find((e) => e.result.message_id === Number(messageId)
    && String(e.result.chat.id) === String(chatId));
  if (bot) return bot.result;
  let found;
  for (const e of tg.storage.userMessages) {
    if (e.botToken !== token) continue;
    const m = userMessageOf(e);
    if (m && m.message_id === Number(messageId) && m.chat && String(m.chat.id) === String(chatId)) found = m;
  }
  return found;
}

function shallowMessage(m) {
  const copy = clone(m);
  delete copy.reply_to_message;
  delete copy.botToken;
  return copy;
}

function replyTarget(params) {
  if (params.reply_parameters && params.reply_parameters.message_id !== undefined) {
    return Number(params.reply_parameters.message_id);
  }
  if (params.reply_to_message_id !== undefined) return Number(params.reply_to_message_id);
  return null;
}

// ------------------------------------------------------------- long polling
function pollInfo(token) {
  if (!state.polls.has(token)) state.polls.set(token, { count: 0, waiting: false, last_offset: null, last_at: null });
  return state.polls.get(token);
}

function updateType(entry) {
  if (entry.raw) return Object.keys(entry.raw).find((k) => k !== 'update_id');
  return 'callbackQuery' in entry ? 'callback_query' : 'message';
}

function formatEntry(entry) {
  if (entry.raw) return clone(entry.raw);
  // Entries added through the package's own client routes.
  const update = TelegramServer.formatUpdate(entry);
  if (update.callback_query) {
    const msg = update.callback_query.message;
    update.callback_query.chat_instance = `ci${msg && msg.chat ? msg.chat.id : 0}`;
  }
  if (update.message) delete update.message.botToken;
  return update;
}

function pendingUpdates(token, offset, limit, allowed) {
  const out = [];
  for (const e of tg.storage.userMessages) {
    if (e.botToken !== token || e.isRead) continue;
    if (offset && e.updateId < offset) { e.isRead = true; continue; } // confirmed
    if (Array.isArray(allowed) && allowed.length && !allowed.includes(updateType(e)) && !e.unfiltered) {
      e.isRead = true;
      continue;
    }
    if (out.length < limit) out.push(formatEntry(e));
  }
  return out;
}

function notify(token) {
  const w = state.waiters.get(token);
  if (w) w.finish();
}
for (const ev of ['AddedUserMessage', 'AddedUserCommand', 'AddedUserCallbackQuery']) {
  tg.on(ev, () => { for (const token of [...state.waiters.keys()]) notify(token); });
}

function getUpdates(token, params, res) {
  if (tg.webhooks[token]) {
    throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
  }
  const offset = Number(params.offset) || 0;
  const limit = Math.min(Math.max(Number(params.limit) || 100, 1), 100);
  const timeout = Math.max(Number(params.timeout) || 0, 0);
  const info = pollInfo(token);
  info.count += 1;
  info.last_offset = offset;
  info.last_at = Date.now();
  const previous = state.waiters.get(token);
  if (previous) previous.finish(409, { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' });
  const now = pendingUpdates(token, offset, limit, params.allowed_updates);
  if (now.length || timeout === 0) return now;
  return new Promise((resolve) => {
    let timer = null;
    const w = {
      finish(status, body) {
        if (state.waiters.get(token) === w) state.waiters.delete(token);
        info.waiting = false;
        clearTimeout(timer);
        if (status) { res.status(status).json(body); resolve(undefined); return; }
        resolve(pendingUpdates(token, offset, limit, params.allowed_updates));
      },
    };
    state.waiters.set(token, w);
    info.waiting = true;
    timer = setTimeout(() => w.finish(), timeout * 1000);
    res.on('close', () => { if (!res.writableEnded) w.finish(); });
  });
}

// ------------------------------------------------------------ bot methods
const MEDIA_KEYS = ['photo', 'document', 'audio', 'video', 'animation', 'voice', 'video_note', 'sticker'];

function mediaObject(kind, value, fileId) {
  const base = { file_id: fileId, file_unique_id: `u${fileId}` };
  if (value && typeof value === 'object' && value.size !== undefined) base.file_size = value.size;
  switch (kind) {
    case 'photo': return [{ ...base, width: 1, height: 1 }];
    case 'document': return { ...base, ...(value && value.filename ? { file_name: value.filename } : {}) };
    case 'audio': case 'voice': return { ...base, duration: 0 };
    case 'video': case 'animation': return { ...base, width: 1, height: 1, duration: 0 };
    case 'video_note': return { ...base, length: 1, duration: 0 };
    case 'sticker': return { ...base, type: 'regular', width: 1, height: 1, is_animated: false, is_video: false };
    default: return base;
  }
}

// Store a message the bot sends (sendMessage, sendPhoto, ...) in the
// package's bot-message storage and build the Message object Telegram returns.
function storeBotMessage(token, method, params, files, methodName) {
  if (params.chat_id === undefined || params.chat_id === '') throw badRequest('chat_id is empty');
  let rendered = { text: undefined, entities: undefined };
  let caption = { text: undefined, entities: undefined };
  if ((method === 'copymessage' || method === 'forwardmessage') && params.text !== undefined) {
    rendered = { text: params.text, entities: params.entities };
  } else if (method === 'sendmessage') {
    rendered = renderText(params.text === undefined ? '' : params.text, params.parse_mode, params.entities);
  } else if (params.caption !== undefined && params.caption !== '') {
    caption = renderText(params.caption, params.parse_mode, params.caption_entities, { what: 'message caption', max: 1024 });
  }
  const message = tg.addBotMessage({ ...params }, token); // package storage + message id
  const entry = tg.storage.botMessages[tg.storage.botMessages.length - 1];
  const chat = chatFor(params.chat_id);
  const result = { message_id: message.message_id, from: botUser(token), chat, date: nowSec() };
  if (params.message_thread_id !== undefined) result.message_thread_id = params.message_thread_id;
  if (rendered.text !== undefined) result.text = rendered.text;
  if (rendered.entities) result.entities = rendered.entities;
  if (caption.text !== undefined) result.caption = caption.text;
  if (caption.entities) result.caption_entities = caption.entities;
  const target = replyTarget(params);
  if (target !== null) {
    const replyChat = params.reply_parameters && params.reply_parameters.chat_id !== undefined
      ? params.reply_parameters.chat_id : chat.id;
    const replied = findMessage(token, replyChat, target);
    if (replied) {
      result.reply_to_message = shallowMessage(replied);
    } else if (!(params.reply_parameters && params.reply_parameters.allow_sending_without_reply)
      && !params.allow_sending_without_reply) {
      tg.storage.botMessages.pop();
      throw badRequest('message to be replied not found');
    }
  }
  if (params.reply_markup && params.reply_markup.inline_keyboard) result.reply_markup = params.reply_markup;
  for (const kind of MEDIA_KEYS) {
    if (params[kind] !== undefined || (files && files[kind])) {
      result[kind] = mediaObject(kind, files && files[kind], `f${message.message_id}_${kind}`);
    }
  }
  if (method === 'sendlocation') result.location = { latitude: params.latitude, longitude: params.longitude };
  if (method === 'sendcontact') result.contact = { phone_number: params.phone_number, first_name: params.first_name };
  if (method === 'senddice') result.dice = { emoji: params.emoji || '🎲', value: 1 };
  Object.assign(entry, { method: methodName || method, result, files: files || {}, edits: [], deleted: false });
  return result;
}

function findBotEntry(token, params) {
  return botEntries(token).find((e) => String(e.result.chat.id) === String(params.chat_id)
    && e.result.message_id === Number(params.message_id));
}

function editBotMessage(token, method, params) {
  if (params.inline_message_id !== undefined) return true;
  const entry = findBotEntry(token, params);
  if (!entry || entry.deleted) throw badRequest('message to edit not found');
  const r = clone(entry.result);
  if (method === 'editmessagetext') {
    const rendered = renderText(params.text === undefined ? '' : params.text, params.parse_mode, params.entities);
    r.text = rendered.text;
    if (rendered.entities) r.entities = rendered.entities; else delete r.entities;
  } else if (method === 'editmessagecaption') {
    const rendered = params.caption ? renderText(params.caption, params.parse_mode, params.caption_entities, { what: 'message caption', max: 1024 }) : {};
    if (rendered.text !== undefined) r.caption = rendered.text; else delete r.caption;
    if (rendered.entities) r.caption_entities = rendered.entities; else delete r.caption_entities;
  }
  if (params.reply_markup && params.reply_markup.inline_keyboard) r.reply_markup = params.reply_markup;
  else delete r.reply_markup;
  const comparable = (m) => JSON.stringify([m.text, m.entities, m.caption, m.caption_entities, m.reply_markup]);
  if (comparable(r) === comparable(entry.result)) {
    throw badRequest('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
  }
  r.edit_date = nowSec();
  const names = { editmessagetext: 'editMessageText', editmessagecaption: 'editMessageCaption', editmessagereplymarkup: 'editMessageReplyMarkup' };
  entry.edits.push({ method: names[method], time: Date.now(), params, previous: entry.result });
  entry.result = r;
  // Keep the package's stored copy (entry.message, the sent parameters) in sync.
  if (method === 'editmessagetext') tg.editMessageText({ ...params });
  else if (method === 'editmessagereplymarkup') tg.editMessageReplyMarkup({ ...params });
  else Object.assign(entry.message, params);
  if (method !== 'editmessagereplymarkup' && params.parse_mode === undefined) delete entry.message.parse_mode;
  if (!params.reply_markup) delete entry.message.reply_markup;
  return clone(r);
}

function commandsKey(token, params) {
  return `${token}|${JSON.stringify(params.scope || { type: 'default' })}|${params.language_code || ''}`;
}

const HANDLERS = {
  getme: (token) => botUser(token),
  getupdates: (token, params, res) => getUpdates(token, params, res),
  sendmessage: (token, params, files) => storeBotMessage(token, 'sendmessage', params, files, 'sendMessage'),
  editmessagetext: (token, params) => editBotMessage(token, 'editmessagetext', params),
  editmessagecaption: (token, params) => editBotMessage(token, 'editmessagecaption', params),
  editmessagereplymarkup: (token, params) => editBotMessage(token, 'editmessagereplymarkup', params),
  deletemessage: (token, params) => {
    const entry = findBotEntry(token, params);
    if (entry && !entry.deleted) { entry.deleted = true; return true; }
    const userMsg = tg.storage.userMessages.find((e) => {
      const m = e.botToken === token && userMessageOf(e);
      return m && m.chat && String(m.chat.id) === String(params.chat_id) && m.message_id === Number(params.message_id);
    });
    if (userMsg && !userMsg.deleted) { userMsg.deleted = true; return true; }
    throw badRequest('message to delete not found');
  },
  deletemessages: () => true,
  sendmediagroup: (token, params, files) => (Array.isArray(params.media) ? params.media : []).map((m) => storeBotMessage(
    token, 'sendmediagroup', { chat_id: params.chat_id, caption: m.caption, parse_mode: m.parse_mode, [m.type]: m.media, reply_parameters: params.reply_parameters }, files, 'sendMediaGroup',
  )),
  copymessage: (token, params) => {
    const src = findMessage(token, params.from_chat_id, params.message_id);
    const r = storeBotMessage(token, 'copymessage', { ...params, text: src && src.text }, {}, 'copyMessage');
    return { message_id: r.message_id };
  },
  forwardmessage: (token, params) => {
    const src = findMessage(token, params.from_chat_id, params.message_id);
    return storeBotMessage(token, 'forwardmessage', { ...params, text: src && src.text }, {}, 'forwardMessage');
  },
  setwebhook: (token, params) => {
    if (!params.url) { tg.deleteWebhook(token); return true; }
    tg.setWebhook(params, token);
    if (params.drop_pending_updates) tg.storage.userMessages.forEach((e) => { if (e.botToken === token) e.isRead = true; });
    return true;
  },
  deletewebhook: (token, params) => {
    tg.deleteWebhook(token);
    if (params.drop_pending_updates) tg.storage.userMessages.forEach((e) => { if (e.botToken === token) e.isRead = true; });
    return true;
  },
  getwebhookinfo: (token) => ({
    url: (tg.webhooks[token] && tg.webhooks[token].url) || '',
    has_custom_certificate: false,
    pending_update_count: tg.storage.userMessages.filter((e) => e.botToken === token && !e.isRead).length,
  }),
  setmycommands: (token, params) => { state.commands.set(commandsKey(token, params), params.commands || []); return true; },
  deletemycommands: (token, params) => { state.commands.delete(commandsKey(token, params)); return true; },
  getmycommands: (token, params) => state.commands.get(commandsKey(token, params)) || [],
  getchat: (token, params) => ({
    accent_color_id: 0,
    max_reaction_count: 11,
    accepted_gift_types: {
      unlimited_gifts: false, limited_gifts: false, unique_gifts: false, premium_subscription: false, gifts_from_channels: false,
    },
    ...chatFor(params.chat_id),
  }),
  getchatmember: (token, params) => ({
    status: 'member',
    user: Number(params.user_id) === botUser(token).id ? botUser(token) : { id: Number(params.user_id), is_bot: false, first_name: `User${params.user_id}` },
  }),
  getchatadministrators: () => [],
  getchatmembercount: () => 2,
  getfile: (token, params) => ({ file_id: params.file_id, file_unique_id: `u${params.file_id}`, file_size: userFiles.has(params.file_id) ? userFiles.get(params.file_id).length : 0, file_path: `files/${params.file_id}` }),
  getmyname: () => ({ name: process.env.EMULATOR_BOT_FIRST_NAME || 'Test Bot' }),
  getmydescription: () => ({ description: '' }),
  getmyshortdescription: () => ({ short_description: '' }),
  getchatmenubutton: () => ({ type: 'default' }),
  getuserprofilephotos: () => ({ total_count: 0, photos: [] }),
};

function cannedResponse(token, lm, params) {
  const idx = state.responses.findIndex((r) => r.method === lm && (!r.token || r.token === token)
    && Object.entries(r.match || {}).every(([k, v]) => JSON.stringify(params[k]) === JSON.stringify(v) || String(params[k]) === String(v)));
  if (idx === -1) return null;
  const r = state.responses[idx];
  if (r.times !== null && r.times !== undefined) {
    r.times -= 1;
    if (r.times <= 0) state.responses.splice(idx, 1);
  }
  return r;
}

// ---------------------------------------------------------- injection
function fillMessage(token, m, { edited }) {
  if (!m || typeof m !== 'object') throw badRequest('update message must be an object');
  if (!m.chat || m.chat.id === undefined) throw badRequest('message.chat.id is required');
  if (m.message_id === undefined) m.message_id = tg.messageId++;
  if (edited) {
    const original = findMessage(token, m.chat.id, m.message_id);
    if (m.date === undefined) m.date = original ? original.date : nowSec();
    if (m.edit_date === undefined) m.edit_date = nowSec();
  } else if (m.date === undefined) {
    m.date = nowSec();
  }
  rememberChat(m.chat);
  if (m.reply_to_message && m.reply_to_message.date === undefined) {
    const target = findMessage(token, m.chat.id, m.reply_to_message.message_id);
    m.reply_to_message = target ? { ...shallowMessage(target), ...m.reply_to_message, date: target.date }
      : { chat: m.chat, date: nowSec(), ...m.reply_to_message };
  }
}

function fillCallbackQuery(token, cq) {
  if (!cq.from) throw badRequest('callback_query.from is required');
  if (cq.id === undefined) { cq.id = String(tg.callbackId); tg.callbackId += 1; }
  if (cq.message && cq.message.date === undefined) {
    const chatId = cq.message.chat ? cq.message.chat.id : cq.message.chat_id;
    const target = findMessage(token, chatId, cq.message.message_id);
    cq.message = target ? shallowMessage(target)
      : { from: botUser(token), chat: chatFor(chatId), date: nowSec(), ...cq.message };
    delete cq.message.chat_id;
  }
  if (cq.chat_instance === undefined) {
    cq.chat_instance = `ci${cq.message && cq.message.chat ? cq.message.chat.id : (cq.inline_message_id || 0)}`;
  }
}

const MESSAGE_UPDATE_KEYS = ['message', 'edited_message', 'channel_post', 'edited_channel_post', 'business_message', 'edited_business_message'];

async function injectUpdate(token, rawUpdate) {
  if (!token) throw badRequest('token is required');
  const update = clone(rawUpdate || {});
  delete update.update_id;
  const keys = Object.keys(update);
  if (keys.length !== 1) throw badRequest(`update must have exactly one field besides update_id, got ${JSON.stringify(keys)}`);
  const type = keys[0];
  if (MESSAGE_UPDATE_KEYS.includes(type)) fillMessage(token, update[type], { edited: type.startsWith('edited') });
  if (type === 'callback_query') fillCallbackQuery(token, update.callback_query);
  const updateId = tg.updateId;
  tg.updateId += 1;
  const out = { update_id: updateId, ...update };
  const entry = { time: Date.now(), botToken: token, updateId, messageId: update[type] && update[type].message_id, isRead: false, raw: out };
  const webhook = tg.webhooks[token];
  if (webhook) {
    const headers = { 'content-type': 'application/json' };
    if (webhook.secret_token) headers['X-Telegram-Bot-Api-Secret-Token'] = webhook.secret_token;
    entry.isRead = true;
    tg.storage.userMessages.push(entry);
    const resp = await fetch(webhook.url, { method: 'POST', headers, body: JSON.stringify(out), signal: AbortSignal.timeout(10000) });
    entry.webhook_status = resp.status;
  } else {
    tg.storage.userMessages.push(entry);
    notify(token);
  }
  return out;
}

// --------------------------------------------------------------- test views
function messageView(entry) {
  const r = entry.result;
  const p = entry.message || {};
  return {
    message_id: r.message_id,
    chat_id: r.chat.id,
    method: entry.method,
    text: r.text !== undefined ? (p.text !== undefined ? String(p.text) : r.text) : null,
    plain_text: r.text !== undefined ? r.text : (r.caption !== undefined ? r.caption : null),
    caption: p.caption !== undefined ? p.caption : null,
    parse_mode: p.parse_mode !== undefined ? p.parse_mode : null,
    entities: r.entities || r.caption_entities || [],
    reply_to_message_id: replyTarget(p),
    reply_parameters: p.reply_parameters !== undefined ? p.reply_parameters : null,
    reply_markup: p.reply_markup !== undefined ? p.reply_markup : null,
    message_thread_id: p.message_thread_id !== undefined ? p.message_thread_id : null,
    date: r.date,
    edit_date: r.edit_date || null,
    deleted: Boolean(entry.deleted),
    edits: entry.edits.map((e) => ({ method: e.method, time: e.time, params: e.params })),
    files: entry.files,
    params: p,
    message: r,
  };
}

// ---------------------------------------------------------------- express
const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '50mb' }));
app.use(express.urlencoded({ extended: false, limit: '50mb' }));
app.use(express.raw({ type: 'multipart/form-data', limit: '50mb' }));

function sendApi(res, status, body) {
  if (!res.headersSent) res.status(status).json(body);
}

app.all('/bot:token/:method', async (req, res) => {
  const { token, method } = req.params;
  const lm = method.toLowerCase();
  try {
    let body = req.body;
    let files = {};
    if (Buffer.isBuffer(body) && /multipart\/form-data/i.test(req.headers['content-type'] || '')) {
      ({ params: body, files } = await parseMultipart(req));
    }
    if (!body || Buffer.isBuffer(body) || typeof body !== 'object') body = {};
    const params = normalizeParams({ ...req.query, ...body });
    for (const [k, f] of Object.entries(files)) params[k] = params[k] === undefined ? { file: true, ...f } : params[k];
    if (lm !== 'getupdates') {
      state.callSeq += 1;
      state.calls.push({ seq: state.callSeq, time: Date.now(), token, method, params });
    }
    const canned = cannedResponse(token, lm, params);
    if (canned && canned.fault === 'drop') {
      req.socket.destroy(); // the connection dies before any answer: nothing was done
      return;
    }
    if (canned && canned.fault === 'delay') {
      // answered late: the call is carried out, but the client may have given up waiting
      await new Promise((resolve) => setTimeout(resolve, Number(canned.delay_ms) || 0));
    } else if (canned) {
      if (canned.error_code) {
        const errBody = { ok: false, error_code: canned.error_code, description: canned.description || 'Error' };
        if (canned.parameters) errBody.parameters = canned.parameters;
        sendApi(res, canned.error_code, errBody);
      } else {
        sendApi(res, 200, { ok: true, result: canned.result === undefined ? true : canned.result });
      }
      return;
    }
    let handler = HANDLERS[lm];
    if (!handler && lm.startsWith('send') && lm !== 'sendchataction') {
      handler = (t, p, f) => storeBotMessage(t, lm, p, f, method);
    }
    const result = handler ? await handler(token, params, lm === 'getupdates' ? res : files) : true;
    if (result !== undefined) sendApi(res, 200, { ok: true, result });
  } catch (err) {
    if (err instanceof ApiError) {
      const errBody = { ok: false, error_code: err.code, description: err.description };
      if (err.parameters) errBody.parameters = err.parameters;
      sendApi(res, err.code, errBody);
    } else {
      console.error(`error in ${method}:`, err);
      sendApi(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${err.message}` });
    }
  }
});

const test = express.Router();
const testRoute = (fn) => async (req, res) => {
  try {
    res.json({ ok: true, result: await fn({ ...req.query, ...(req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body) ? req.body : {}) }) });
  } catch (err) {
    const code = err instanceof ApiError ? err.code : 500;
    res.status(code).json({ ok: false, error_code: code, description: err.description || err.message });
  }
};
const requireToken = (q) => { if (!q.token) throw badRequest('token is required'); return q.token; };

test.post('/sendUpdate', testRoute((q) => injectUpdate(requireToken(q), q.update)));
test.post('/sendRawUpdate', testRoute((q) => {
  // No checks and nothing filled in: the bot must survive what a buggy or future Bot API sends.
  const token = requireToken(q);
  const out = { ...clone(q.update === undefined ? {} : q.update), update_id: tg.updateId };
  tg.updateId += 1;
  tg.storage.userMessages.push({ time: Date.now(), botToken: token, updateId: out.update_id, isRead: false, raw: out, unfiltered: true });
  notify(token);
  return out;
}));
test.get('/sentMessages', testRoute((q) => {
  const token = requireToken(q);
  const after = q.after_message_id !== undefined && q.after_message_id !== '' ? Number(q.after_message_id) : null;
  const withDeleted = q.include_deleted === 'true' || q.include_deleted === true;
  return botEntries(token)
    .filter((e) => q.chat_id === undefined || q.chat_id === '' || String(e.result.chat.id) === String(q.chat_id))
    .filter((e) => after === null || e.result.message_id > after)
    .filter((e) => withDeleted || !e.deleted)
    .map(messageView);
}));
test.get('/calls', testRoute((q) => {
  const after = Number(q.after_seq) || 0;
  return state.calls.filter((c) => (!q.token || c.token === q.token)
    && (!q.method || c.method.toLowerCase() === String(q.method).toLowerCase())
    && c.seq > after);
}));
test.get('/updates', testRoute((q) => tg.storage.userMessages
  .filter((e) => !q.token || e.botToken === q.token)
  .map((e) => ({ update: formatEntry(e), confirmed: e.isRead, deleted: Boolean(e.deleted) }))));
test.get('/state', testRoute((q) => {
  const token = requireToken(q);
  return {
    bot: botUser(token),
    polling: { ...pollInfo(token) },
    pending_updates: tg.storage.userMessages.filter((e) => e.botToken === token && !e.isRead).length,
    bot_messages: botEntries(token).length,
    calls: state.calls.filter((c) => c.token === token).length,
    webhook: tg.webhooks[token] || null,
    next_message_id: tg.messageId,
    next_update_id: tg.updateId,
  };
}));
test.post('/setResponse', testRoute((q) => {
  if (!q.method) throw badRequest('method is required');
  state.responses.push({
    method: String(q.method).toLowerCase(),
    token: q.token || null,
    result: q.result,
    error_code: q.error_code ? Number(q.error_code) : undefined,
    description: q.description,
    parameters: q.parameters,
    match: q.match || null,
    times: q.times === undefined || q.times === null ? null : Number(q.times),
    fault: q.fault || null, // 'drop' (close the connection) or 'delay' (answer after delay_ms)
    delay_ms: q.delay_ms,
  });
  return true;
}));
test.post('/setBotInfo', testRoute((q) => {
  const token = requireToken(q);
  const { token: _t, ...fields } = q;
  state.botInfo.set(token, { ...(state.botInfo.get(token) || {}), ...fields });
  return botUser(token);
}));
test.post('/reset', testRoute((q) => {
  // Counters (update_id, message_id) keep growing so a running bot's offset stays valid.
  const keep = (e) => q.token && e.botToken !== q.token;
  tg.storage.userMessages = tg.storage.userMessages.filter(keep);
  tg.storage.botMessages = tg.storage.botMessages.filter(keep);
  state.calls = state.calls.filter((c) => q.token && c.token !== q.token);
  state.responses = state.responses.filter((r) => q.token && r.token && r.token !== q.token);
  if (!q.token) state.chats.clear();
  return true;
}));
test.get('/health', testRoute(() => 'ok'));
test.post('/putFile', testRoute((q) => {
  if (!q.file_id) throw badRequest('file_id is required');
  userFiles.set(String(q.file_id), Buffer.from(q.content_base64 || '', 'base64'));
  return true;
}));
app.use('/test', test);
app.get('/file/bot:token/files/:fileId', (req, res) => {
  const content = userFiles.get(req.params.fileId);
  if (content === undefined) res.status(404).json({ ok: false, error_code: 404, description: 'Not Found' });
  else res.type('application/octet-stream').send(content);
});

// Everything else (the package's user-side client routes: /sendMessage,
// /sendCommand, /sendCallback, /getUpdates, /getUpdatesHistory) is served by
// telegram-test-api's own express app.
app.use(tg.webServer);

// ----------------------------------------------------------------- server
const server = http.createServer(app);
server.keepAliveTimeout = 65000;
server.on('error', (err) => {
  console.error(`server error: ${err.message}`);
  process.exit(1);
});
server.listen(PORT, HOST, () => {
  tg.started = true;
  process.stdout.write(`READY ${server.address().port}\n`);
});

let stopping = false;
function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.error(`received ${signal}, shutting down`);
  for (const w of [...state.waiters.values()]) w.finish();
  server.close(() => process.exit(0));
  if (server.closeAllConnections) setTimeout(() => server.closeAllConnections(), 100);
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
