"""Fitting what the engine learns from data, outside the installed package.

`fit_picker` fits the picker's weights (`bot/engine/picker/weights.json`) from the
questions with known answers in `data/`. It may import the engine; nothing in `bot/`
or `index/` imports it.
"""
