"""The Telegram adapter: updates in, the engine's answers out as escaped HTML.

The only package that imports `telegram`. It may import the engine, `bot.render`,
`bot.config` and `bot.live`; nothing outside it imports it but `bot.__main__`.
"""
