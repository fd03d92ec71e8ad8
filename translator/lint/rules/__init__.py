"""One module per lint rule, named after its code: ``sv201_daemonizing_foreground.py``.

Each module holds one ``Rule`` (``@rule`` over a check, or ``reported(...)`` for a rule
the readers report). Imports: model, diagnostics, knowledge, lint.registry.
"""
