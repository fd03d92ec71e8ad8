"""``finish``: post-stop hooks, and the script end that stops restarting after N starts.

runsv and s6-supervise run ``./finish`` after each exit of ``./run``. svconv writes the
service's post-stop hooks there, then the dialect's start limit: for runit a counting
block (below) that takes the service down with ``sv down .``, for s6 a last
``exec s6-permafailon``. Reading gives both back; any other statement stays verbatim.
Imports: model, diagnostics, formats/_script, formats/_svdir.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import PurePosixPath

from tree_sitter import Node

from translator.formats._script import Evaluator, Script, read_script, simple_call
from translator.formats._svdir import quoting
from translator.formats._svdir.dialect import SHEBANG, ServiceDirectory
from translator.model import Command, Hook, HookTime, Origin, Source, Span, StartLimit

EXITS = "supervise/svconv-exits"
"""Where the counting block keeps the times of recent exits, one a line."""
_COUNTING = """\
# at most {burst} starts in {interval} seconds, then the service stays down
now=$(date +%s)
{{ cat {exits} 2>/dev/null; echo "$now"; }} |
  awk -v now="$now" 'now - $1 < {interval}' >{exits}.new
mv {exits}.new {exits}
if [ "$(wc -l <{exits})" -ge {burst} ]; then
  rm -f {exits}
  exec {down}
fi"""


def _pattern(template: str, groups: dict[str, str]) -> re.Pattern[str]:
    """``template`` as a regex: each ``{name}`` a group the first time, a back-reference after."""
    text = re.escape(template.format(**{name: f"@{name}@" for name in groups}))
    for name, regex in groups.items():
        text = text.replace(f"@{name}@", f"(?P<{name}>{regex})", 1)
        text = text.replace(f"@{name}@", f"(?P={name})")
    return re.compile(text)


_COUNTING_PATTERN = _pattern(
    _COUNTING, {"burst": r"\d+", "interval": r"\d+", "exits": re.escape(EXITS), "down": r"[^\n]+"}
)
PERMAFAILON = "s6-permafailon"
EVERY_DEATH = "0-255,SIGHUP,SIGINT,SIGQUIT,SIGILL,SIGABRT,SIGFPE,SIGKILL,SIGSEGV,SIGPIPE,SIGTERM"
"""The statuses s6-permafailon counts: every exit code and the usual fatal signals."""
STATUSES = "s6-permafailon statuses"
"""The key of the extra holding another list of statuses a finish counts."""

KeepExtra = Callable[[str, str, Span], None]
"""Keeps a statement as an extra (key, value, where) that the writer puts back."""
NoteExtra = Callable[[str, str, Span, str], None]
"""Keeps a statement verbatim as an extra (key, text, where, what it is), and notes it."""


def seconds(limit: StartLimit) -> int:
    """Give the limit's interval in whole seconds, rounded up."""
    return math.ceil(limit.interval or 0)


def counting_block(limit: StartLimit, down: tuple[str, ...]) -> list[str]:
    """List the finish lines that run ``down`` once ``limit.burst`` exits fall in the interval."""
    text = _COUNTING.format(
        burst=limit.burst, interval=seconds(limit), exits=EXITS, down=quoting.join(down)
    )
    return text.split("\n")


def write_finish(directory: ServiceDirectory) -> None:
    """Write ``finish`` when the service has post-stop hooks or a start limit to keep."""
    service = directory.service
    hooks = [_hook_line(directory, hook) for hook in service.hooks]
    kept = [
        e.value
        for e in service.extras
        if e.format == directory.dialect.format and e.key == "finish"
    ]
    tail = directory.dialect.start_limit(directory) if service.start_limit else []
    lines = [line for line in hooks if line is not None] + kept + tail
    if lines:
        directory.files["finish"] = "\n".join([SHEBANG, *lines]) + "\n"


def _hook_line(directory: ServiceDirectory, hook: Hook) -> str | None:
    """Write a post-stop hook as a finish line; report any other hook lost."""
    supervisor = directory.dialect.supervisor
    if hook.when is not HookTime.AFTER_STOP or not directory.dialect.runs_finish:
        directory.losses.unsupported(
            hook.origin,
            "hooks",
            service=directory.service.name,
            code="SV710",
            reason=f"{supervisor} runs no command {hook.when.value.replace('-', ' ')}",
            action="left out",
        )
        return None
    command = hook.command
    if command.user or command.group or command.timeout is not None:
        directory.losses.unsupported(
            hook.origin,
            "hooks",
            service=directory.service.name,
            code="SV710",
            reason="finish runs its commands as the supervisor's user, with no timeout",
            action="run as written, without the hook's user, group or timeout",
        )
    line = quoting.join(command.argv)
    return f"{line} || true" if hook.ignores_failure else line


def read_finish(
    source: Source, extra: KeepExtra, keep: NoteExtra
) -> tuple[tuple[Hook, ...], StartLimit | None]:
    """Read a ``finish`` script: its commands are post-stop hooks; the start limit's end."""
    script = read_script(source, lambda path, span: None)
    found = _COUNTING_PATTERN.search(source.text)
    limit = None
    if found:
        start_line = source.text.count("\n", 0, found.start()) + 1
        span = Span(path=source.path, line=start_line, column=1)
        limit = StartLimit(
            burst=int(found["burst"]),
            interval=float(found["interval"]),
            origin=Origin(span=span),
        )
    hooks: list[Hook] = []
    evaluator = Evaluator(script, lambda path, span: None)
    for node in script.root.named_children:
        if node.type == "comment" or (found and _inside(script, node, found)):
            continue
        read = _finish_statement(script, evaluator, node)
        if isinstance(read, tuple):
            limit, statuses = read
            if statuses != EVERY_DEATH:
                extra(STATUSES, statuses, limit.origin.span or script.span(node))
        elif isinstance(read, Hook):
            hooks.append(read)
        elif not script.error_spans:
            keep("finish", script.text(node), script.span(node), "this finish statement")
    if script.error_spans:
        keep("finish", source.text, script.error_spans[0], "a finish the shell cannot read")
        return (), None
    return tuple(hooks), limit


def _inside(script: Script, node: Node, found: re.Match[str]) -> bool:
    """Whether ``node`` lies in the counting block the pattern ``found``."""
    start = len(script.source.text[: found.start()].encode())
    end = len(script.source.text[: found.end()].encode())
    return start <= node.start_byte and node.end_byte <= end


def _finish_statement(
    script: Script, evaluator: Evaluator, node: Node
) -> Hook | tuple[StartLimit, str] | None:
    """Read a Hook, a StartLimit (``exec s6-permafailon``), or None for anything else."""
    span = script.span(node)
    ignores_failure = False
    if node.type == "list" and script.text(node).endswith("|| true"):
        node, ignores_failure = node.children[0], True
    call = simple_call(script, evaluator, node)
    if call is None or call.redirects or call.background:
        return None
    words = [word.text for word in call.args]
    if None in words:
        return None
    argv = [call.name, *(w for w in words if w is not None)]
    if argv[0] == "exec" and len(argv) > 4 and PurePosixPath(argv[1]).name == PERMAFAILON:
        return _permafailon(argv[2:], span)
    return Hook(
        when=HookTime.AFTER_STOP,
        command=Command(argv=tuple(argv), origin=Origin(span=span)),
        ignores_failure=ignores_failure,
        origin=Origin(span=span),
    )


def _permafailon(words: list[str], span: Span) -> tuple[StartLimit, str] | None:
    """``s6-permafailon SECONDS COUNT STATUSES true``: at most COUNT deaths in SECONDS."""
    interval, burst, statuses, *rest = words
    if not (interval.isdigit() and burst.isdigit()) or rest != ["true"]:
        return None
    limit = StartLimit(burst=int(burst), interval=float(interval), origin=Origin(span=span))
    return limit, statuses
