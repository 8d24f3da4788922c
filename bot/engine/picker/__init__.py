"""The answer picker: which sentence answers a question, and whether any does.

`features` turns each candidate sentence into a row of explainable numbers; `model`
scores the rows with weights (`weights.json`) that `training/fit_picker.py` learns from
questions with known answers, and says how sure it is that the best one answers at all.
"""
