"""SV105 syntax.unset-env-reference: ``%(ENV_X)s`` that nothing in the input sets."""

from translator.diagnostics import Severity
from translator.lint.registry import reported

RULE = reported(
    code="SV105",
    name="syntax.unset-env-reference",
    severity=Severity.WARNING,
    formats=("supervisord",),
    doc="""
    What it does: flags ``%(ENV_X)s`` in a supervisord value when neither the program's
    ``environment=`` nor ``[supervisord] environment=`` sets ``X``.

    Why it matters: supervisord expands ``ENV_`` names from its own environment when it
    reads the file, and refuses the file when ``X`` is not there; a variable set by hand
    in one shell is missing when supervisord starts at boot.

    Example:
        ```supervisord web.conf
        [program:web]
        command=/usr/bin/web --listen %(ENV_LISTEN)s
        ```

    Use instead:
        ```supervisord web.conf
        [program:web]
        command=/usr/bin/web --listen %(ENV_LISTEN)s
        environment=LISTEN="127.0.0.1:8080"
        ```

    Fix: none; set the variable in ``environment=``.
    """,
)
