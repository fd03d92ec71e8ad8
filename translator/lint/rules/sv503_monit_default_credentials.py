"""SV503 security.monit-default-credentials: monit's web interface with a guessable login."""

from __future__ import annotations

import ipaddress
import itertools
import re
from collections.abc import Iterator

from translator.diagnostics import Severity
from translator.lint.registry import Finding, rule
from translator.lint.rules._monit_checks import MONIT
from translator.model import Extra, Host, Span

DEFAULT_LOGIN = ("admin", "monit")
"""The login of monit's shipped monitrc (``allow admin:monit``)."""
_WORD = re.compile(r'(?:[^\s"]|"[^"\n]*")+')
"""A word of ``set httpd`` as monit's lexer reads it: a quoted part may hold blanks."""
_LOCAL = frozenset(["localhost", "127.0.0.1", "::1"])


@rule(
    code="SV503",
    name="security.monit-default-credentials",
    severity=Severity.ERROR,
    formats=("monit",),
)
def find_default_credentials(host: Host) -> Iterator[Finding]:
    """What it does: flags a guessable or exposed login to monit's web interface.

    That is ``set httpd`` allowing the login monit ships with (``allow admin:monit``)
    or one whose password is the user name or ``monit``; or a clear-text
    ``allow user:password`` when the interface takes connections from other hosts over
    plain HTTP (no ``use address localhost``, no ``ssl enable``).

    Why it matters: whoever logs in to monit's web interface or API can stop, start
    and unmonitor every service, and run what its programs run, as root. A default or
    guessable login is the first one tried; a password sent over plain HTTP is readable
    on the network. A clear-text password for a local-only interface is left alone: the
    monit command line needs one to talk to the daemon, and monit refuses a control
    file others can read.

    Example:
        ```monit monitrc
        set httpd port 2812
            use address localhost
            allow admin:monit
        ```

    Use instead:
        ```monit monitrc
        set httpd port 2812
            use address localhost
            allow admin:"a long random passphrase"
        ```

    Fix: none; choose a password (``allow @group`` for PAM, or ``allow md5
    /etc/monit/htpasswd``) and keep the interface on localhost or behind ``ssl enable``.
    """
    for extra in host.extras:
        if extra.format == MONIT and extra.key == "set httpd":
            yield from _weak_logins(extra)


def _weak_logins(extra: Extra) -> Iterator[Finding]:
    words = _WORD.findall(extra.value)
    span = extra.origin.span or Span(path="<input>", line=1, column=1)
    exposed = _is_exposed(words)
    for user, password in _logins(words):
        problem = _problem(user, password, exposed=exposed)
        if problem is not None:
            yield Finding(span=span, message=f"set httpd allows user {user} {problem}")


def _logins(words: list[str]) -> Iterator[tuple[str, str]]:
    """The ``user:password`` pairs of ``allow`` words (hosts and networks left out)."""
    for word, argument in itertools.pairwise(words):
        if word.lower() != "allow" or ":" not in argument or _is_network(argument):
            continue
        user, _, password = argument.partition(":")
        if user.strip('"'):
            yield user.strip('"'), password.strip('"')


def _is_network(argument: str) -> bool:
    """Whether ``argument`` is an address or network (``::1``, ``fe80::/64``)."""
    try:
        ipaddress.ip_network(argument, strict=False)
    except ValueError:
        return False
    return True


def _is_exposed(words: list[str]) -> bool:
    """Whether the interface takes plain HTTP connections from other hosts."""
    lowered = [word.lower().strip('"') for word in words]
    pairs = dict(itertools.pairwise(lowered))
    is_local = pairs.get("address") in _LOCAL or ("unixsocket" in pairs and "port" not in pairs)
    return not is_local and pairs.get("ssl") != "enable"


def _problem(user: str, password: str, *, exposed: bool) -> str | None:
    if (user, password) == DEFAULT_LOGIN:
        return "with the default password monit ships with"
    if password in (user, MONIT):
        return "with a guessable password (the user name or monit)"
    if exposed:
        return "with a clear-text password over plain HTTP from other hosts"
    return None
