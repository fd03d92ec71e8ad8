"""SV111 syntax.unread-run-statement: a run-script statement svconv keeps but cannot read."""

from __future__ import annotations

from collections.abc import Iterator

from translator.diagnostics import Severity
from translator.lint.registry import Finding, rule, where
from translator.lint.rules._common import SERVICE_DIRECTORIES
from translator.model import Host

_VERBATIM = "run"
"""The key of the extra the service-directory readers keep such a statement in."""


@rule(
    code="SV111",
    name="syntax.unread-run-statement",
    severity=Severity.WARNING,
    formats=SERVICE_DIRECTORIES,
)
def find_unread_run_statements(host: Host) -> Iterator[Finding]:
    """What it does: flags a ``run`` statement outside the subset svconv reads.

    svconv reads ``exec 2>&1``, ``cd``, ``umask``, ``export``, ``ulimit -n`` and
    ``ulimit -c 0``, and a last ``exec`` through ``chpst``, ``setuidgid``, ``envdir``,
    ``softlimit`` and their ``s6-`` forms. Anything else (another ``ulimit``, a loop, a
    test) is kept verbatim for the same format.

    Why it matters: what the statement does is unknown to svconv, so a translation to
    any other supervisor leaves it out (reported as a loss), and a review cannot tell
    from the model how the program runs.

    Example:
        ```runit sv/web/run
        #!/bin/sh
        ulimit -v 1048576
        exec /usr/bin/web
        ```

    Use instead:
        ```runit sv/web/run
        #!/bin/sh
        exec softlimit -a 1073741824 /usr/bin/web
        ```

    Fix: none; say it with the supervisor's own tools (``chpst``, ``softlimit``,
    ``env/``), or keep it and suppress the finding with the reason.
    """
    for service in host.services:
        for extra in service.extras:
            if extra.format in SERVICE_DIRECTORIES and extra.key == _VERBATIM:
                yield Finding(
                    span=extra.origin.span or where(service, "start"),
                    service=service.name,
                    message=f"svconv keeps {extra.value!r} verbatim but does not read it: "
                    "another target leaves it out",
                )
