"""svconv lint: rules over the supervision model, their engine, settings and baselines.

Imports: model, diagnostics, errors, knowledge, lint.
"""
