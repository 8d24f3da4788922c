"""The answer picker: which sentence answers a question, and whether any does.

`features` turns each candidate sentence into a row of explainable numbers; `model`
scores the rows with weights that `fit` learns from questions with known answers
(`data/`), and says how sure it is that the best one answers at all.
"""
