"""SV209 lifecycle.run-without-exec: a run script that starts its program without exec."""

from __future__ import annotations

from collections.abc import Iterator

from translator.diagnostics import Severity
from translator.lint.registry import Finding, rule, where
from translator.lint.rules._common import SERVICE_DIRECTORIES
from translator.model import Host

_NO_EXEC = "run without exec"
"""The extra the service-directory readers mark such a last command with."""


@rule(
    code="SV209",
    name="lifecycle.run-without-exec",
    severity=Severity.WARNING,
    formats=SERVICE_DIRECTORIES,
)
def find_run_without_exec(host: Host) -> Iterator[Finding]:
    """What it does: flags a ``run`` script whose last command is not started by ``exec``.

    Why it matters: runsv, supervise and s6-supervise watch the process they start, here
    the shell. ``sv down`` or ``svc -d`` signals the shell, not the program, which can
    live on unsupervised; and a crash of the program is seen only when the shell exits.

    Example:
        ```runit sv/web/run
        #!/bin/sh
        exec 2>&1
        /usr/bin/web --port 8080
        ```

    Use instead:
        ```runit sv/web/run
        #!/bin/sh
        exec 2>&1
        exec /usr/bin/web --port 8080
        ```

    Fix: none; put ``exec`` before the last command (``svconv`` writes it so).
    """
    for service in host.services:
        for extra in service.extras:
            if extra.format in SERVICE_DIRECTORIES and extra.key == _NO_EXEC:
                yield Finding(
                    span=extra.origin.span or where(service, "start"),
                    service=service.name,
                    message=f"{extra.value!r} runs without exec: the supervisor watches "
                    "the shell, and its signals do not reach the program",
                )
