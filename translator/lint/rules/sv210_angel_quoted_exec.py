"""SV210 lifecycle.angel-quoted-exec: quotes in an Angel ``exec``, which Angel passes on."""

from __future__ import annotations

from collections.abc import Iterator

from translator.diagnostics import Severity
from translator.lint.registry import Finding, rule, where
from translator.model import Host

_QUOTES = ("'", '"', "\\")


@rule(
    code="SV210",
    name="lifecycle.angel-quoted-exec",
    severity=Severity.WARNING,
    formats=("angel",),
)
def find_quoted_angel_exec(host: Host) -> Iterator[Finding]:
    """What it does: flags an Angel ``exec`` with a quote or a backslash in a word.

    Why it matters: Angel runs ``exec`` without a shell. It splits the command at every
    space and passes each word on as it is, so quotes reach the program as characters
    of its arguments and a quoted argument with a space becomes several words: the
    program reads a file name ``'/srv/my`` or an option it does not know.

    Example:
        ```angel angel.conf
        web {
            exec = "/usr/bin/web --title 'my web'"
        }
        ```

    Use instead:
        ```angel angel.conf
        web {
            exec = "/usr/bin/web --title my-web"
        }
        ```

    Fix: none; drop the quotes, or start the program through a script that Angel runs.
    """
    for service in host.services:
        if service.managed_by != "angel" or service.start is None:
            continue
        quoted = [word for word in service.start.argv if any(q in word for q in _QUOTES)]
        if quoted:
            yield Finding(
                span=where(service, "start"),
                service=service.name,
                message=f"angel passes {quoted!r} on with the quotes: it runs exec without "
                "a shell, split at spaces",
            )
