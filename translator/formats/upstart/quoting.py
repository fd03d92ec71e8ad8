"""upstart's words and commands: how a job file's text becomes argv, and back.

A stanza's word loses its quotes and backslashes as libnih's ``nih_config_token``
dequotes it. An ``exec`` command with any of upstart's shell characters runs as
``/bin/sh -e -c "exec COMMAND"``; one without is split at blanks and run directly
(init/job_process.c). A script block runs as ``/bin/sh -e`` with the block's common
indentation removed. Imports: model only.
"""

from __future__ import annotations

import re
import shlex

from translator.model import INSTANCE_VARIABLE

SHELL = "/bin/sh"
SHELL_CHARACTERS = frozenset("~`!$^&*()=|\\{}[];\"'<>?")
"""A command holding any of these runs through the shell (job_process.c's SHELL_CHARS)."""
_QUOTING = frozenset("\"'\\=")
"""Shell characters that only quote (or are literal): sh's quote removal is shlex's split."""
_BLANKS = " \t\r"
_NEWLINE = re.compile(r"[ \t\r]*\\?\n[ \t\r]*")
_PLAIN_WORD = re.compile(r"[^\s#\"'\\]+")
_END_SCRIPT = re.compile(r"^[ \t\r]*end[ \t\r]+script\b", re.MULTILINE)
INDENT = "    "


def word(text: str) -> str:
    """Write ``text`` as one stanza word that :func:`dequote` gives back."""
    if _PLAIN_WORD.fullmatch(text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def join(argv: tuple[str, ...]) -> str:
    """Write argv as an ``exec`` command line (shell quoting, which sh removes)."""
    return shlex.join(argv)


def block(body: str) -> list[str] | None:
    """Write a shell body as a script block's lines (indented where that reads back).

    None: the body has a line ``end script`` would end the block at.
    """
    if _END_SCRIPT.search(body):
        return None
    lines = body.split("\n")
    if any(not line.strip(_BLANKS) for line in lines) or lines[0].startswith(tuple(_BLANKS)):
        return lines
    return [INDENT + line for line in lines]


def dequote(word: str) -> str:
    r"""Remove a word's quotes and backslashes (``"a b"`` is ``a b``, ``\#`` is ``#``).

    A newline inside quotes, or an escaped one, becomes one blank and the blanks
    around it go, as libnih collapses it.
    """
    out: list[str] = []
    quote = ""
    text = _joined(word)
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            out.append(text[index + 1])
            index += 1
        elif char == quote:
            quote = ""
        elif not quote and char in "\"'":
            quote = char
        else:
            out.append(char)
        index += 1
    return "".join(out)


def command(text: str) -> tuple[str, ...]:
    """Give the argv upstart runs for ``exec TEXT``.

    Without shell characters upstart splits at blanks; with only quotes, backslashes
    and ``=``, sh would do no more than remove the quotes, which shlex does the same
    way. Anything else (``$``, ``|``, ``;``, ``&&``, ``>``, globs, backticks) needs the
    shell that upstart runs it with.
    """
    text = _joined(text)
    used = SHELL_CHARACTERS.intersection(text)
    if used <= _QUOTING:
        words = shlex.shlex(text, posix=True)
        words.whitespace_split = True
        words.commenters = ""
        return tuple(words)
    return (SHELL, "-e", "-c", f"exec {text}")


def script(block: str) -> tuple[str, ...]:
    """Give the argv upstart runs for a script block's lines (``end script`` excluded)."""
    return (SHELL, "-e", "-c", _dedented(block).rstrip("\n"))


def lifted(argv: tuple[str, ...]) -> tuple[str, ...]:
    """Give a script block that is one ``exec`` of plain words as those words.

    Such a block does what ``exec`` would; anything more (a ``cd``, a pipe, a
    variable) keeps the block a shell script.
    """
    body = argv[3]
    if "\n" in body or not body.startswith("exec "):
        return argv
    words = command(body.removeprefix("exec "))
    return argv if words[0] == SHELL and words[1:3] == ("-e", "-c") else words


def with_instance(argv: tuple[str, ...], variable: str) -> tuple[str, ...] | None:
    """Make a shell command's ``$VARIABLE`` the model's instance reference.

    The other dollar signs become ``$$`` (literal: the shell expands them, not the
    supervisor), as model.Command's variable syntax has it. None: ``argv`` is no shell
    command or does not refer to ``variable``.
    """
    if argv[:3] != (SHELL, "-e", "-c") or len(argv) != 4:
        return None
    reference = re.compile(r"\$(?:\{" + re.escape(variable) + r"\}|" + re.escape(variable) + r"\b)")
    parts = reference.split(argv[3])
    if len(parts) == 1:
        return None
    instance = "${" + INSTANCE_VARIABLE + "}"
    return (*argv[:3], instance.join(part.replace("$", "$$") for part in parts))


def _joined(text: str) -> str:
    r"""Join continued lines as libnih does: a newline (escaped, or quoted) is one blank."""
    return _NEWLINE.sub(" ", text).strip(_BLANKS)


def _dedented(block: str) -> str:
    """Remove the blanks every line starts with, measured against the first line.

    This is libnih's rule (nih_config_parse_block): a line that starts with fewer of the
    first line's blanks (an empty line too) lowers the count for every line.
    """
    lines = block.splitlines(keepends=True)
    if not lines:
        return ""
    first = lines[0]
    width = len(first) - len(first.lstrip(_BLANKS))
    for line in lines[1:]:
        same = 0
        while same < width and same < len(line) and line[same] == first[same]:
            same += 1
        width = same
    return "".join(line[width:] for line in lines)
