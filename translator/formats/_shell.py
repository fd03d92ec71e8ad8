"""A POSIX shell command line for a model command whose argv refers to ``$VARIABLES``.

Supervisors that pass arguments literally (monit) or expand their own variables only
when they read their files (supervisord) need a shell to expand the environment when
the program starts, as systemd does. Shared by formats; imports the model only.
"""

from __future__ import annotations

import re
import shlex

from translator.model import VARIABLE_REFERENCE, EnvironmentFile

SHELL = "/bin/sh"


def through_shell(
    argv: tuple[str, ...], environment_files: tuple[EnvironmentFile, ...] = ()
) -> tuple[str, ...]:
    """Run argv (model.Command variable syntax) through ``/bin/sh -c``.

    Environment files are sourced first with ``set -a`` (as systemd reads them: every
    assignment exported; an optional one only if it is readable). A whole-word ``$X``
    stays unquoted (it splits, as it did), ``${X}`` inside a word is double-quoted (it
    does not split), and everything else is single-quoted.
    """
    prelude = []
    for environment_file in environment_files:
        path = shlex.quote(environment_file.path)
        prelude.append(
            f"[ ! -r {path} ] || . {path}" if environment_file.is_optional else f". {path}"
        )
    command = "exec " + " ".join(_shell_word(word) for word in argv)
    script = "; ".join(["set -a", *prelude, "set +a", command]) if prelude else command
    return (SHELL, "-c", script)


def _shell_word(word: str) -> str:
    if re.fullmatch(r"\$\w+|\$\{\w+\}", word):
        return word
    parts: list[str] = []
    position = 0
    for match in VARIABLE_REFERENCE.finditer(word):
        if match.start() > position:
            parts.append(shlex.quote(word[position : match.start()]))
        parts.append("'$'" if match.group() == "$$" else f'"{match.group()}"')
        position = match.end()
    if position < len(word) or not parts:
        parts.append(shlex.quote(word[position:]))
    return "".join(parts)
