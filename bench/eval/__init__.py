"""Evaluation sets and the code that scores the answer engine on them (issue 9)."""
