"""Recognise how an init script starts, stops and reloads its daemon.

Each recogniser reads one kind of call (start-stop-daemon, RHEL ``daemon``, LSB
``start_daemon``, ``su -c``, ``nohup … &``, a bare ``$DAEMON``) after static evaluation.
Imports: model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from translator.formats._script import REFERENCE, Call, Word
from translator.model import Span


@dataclass(frozen=True, slots=True)
class Launch:
    """A daemon start found in a script: its argv and what the launcher said about it.

    ``forks``: the program detaches by itself (so the pidfile is the daemon's);
    False when the launcher backgrounds it (``--background``, ``&``).
    """

    argv: tuple[Word, ...]
    span: Span
    launcher: str
    pidfile: Word | None = None
    user: str | None = None
    group: str | None = None
    directory: str | None = None
    umask: str | None = None
    forks: bool = True
    notes: tuple[str, ...] = field(default=())
    redirects: tuple[tuple[str, str | None], ...] = ()
    """The start call's output redirects (see ``Call.redirects``)."""


@dataclass(frozen=True, slots=True)
class Stopping:
    """How the stop arm ends the daemon: signal and seconds before KILL."""

    signal: str | None = None
    timeout: float | None = None
    span: Span | None = None


_SSD_VALUED = {
    "-x": "exec", "--exec": "exec", "-a": "startas", "--startas": "startas",
    "-p": "pidfile", "--pidfile": "pidfile", "-c": "chuid", "--chuid": "chuid",
    "-u": "user", "--user": "user", "-d": "chdir", "--chdir": "chdir",
    "-k": "umask", "--umask": "umask", "-N": "nice", "--nicelevel": "nice",
    "-n": "name", "--name": "name", "-R": "retry", "--retry": "retry",
    "-s": "signal", "--signal": "signal", "-g": "group", "--group": "group",
    "-r": "chroot", "--chroot": "chroot", "-P": "procsched", "-I": "iosched",
    "--output": "output", "--remove-pidfile": "remove-pidfile",
}  # fmt: skip
_SSD_FLAGS = {
    "-S": "start", "--start": "start", "-K": "stop", "--stop": "stop", "-t": "test",
    "--test": "test", "-b": "background", "--background": "background",
    "-m": "make-pidfile", "--make-pidfile": "make-pidfile", "-q": "quiet", "--quiet": "quiet",
    "-o": "oknodo", "--oknodo": "oknodo", "-v": "verbose", "--verbose": "verbose",
    "-C": "no-close", "--no-close": "no-close", "--remove-pidfile": "remove-pidfile",
}  # fmt: skip


def start_stop_daemon(call: Call) -> tuple[dict[str, Word], set[str], tuple[Word, ...]]:
    """Split a start-stop-daemon call into options, flags and the daemon's arguments."""
    options: dict[str, Word] = {}
    flags: set[str] = set()
    words = list(call.args)
    while words:
        word = words.pop(0)
        text = word.text or ""
        if text == "--":
            return options, flags, tuple(words)
        key, equals, value = text.partition("=")
        if key in _SSD_VALUED:
            if equals:
                options[_SSD_VALUED[key]] = Word(text=value, span=word.span)
            elif words:
                options[_SSD_VALUED[key]] = words.pop(0)
        elif text in _SSD_FLAGS:
            flags.add(_SSD_FLAGS[text])
    return options, flags, ()


def _identity(chuid: Word | None) -> tuple[str | None, str | None]:
    if chuid is None or not chuid.text:
        return None, None
    user, _, group = chuid.text.partition(":")
    return user, group or None


def _from_ssd(call: Call) -> Launch | None:
    options, flags, rest = start_stop_daemon(call)
    if "start" not in flags or "test" in flags:
        return None
    program = options.get("startas") or options.get("exec")
    if program is None:
        return None
    user, group = _identity(options.get("chuid") or options.get("user"))
    background = "background" in flags
    return Launch(
        argv=(program, *rest),
        span=call.span,
        launcher="start-stop-daemon",
        # a pidfile start-stop-daemon makes is its own bookkeeping, not the daemon's
        pidfile=None if "make-pidfile" in flags else options.get("pidfile"),
        user=user,
        group=group or (options["group"].text if "group" in options else None),
        directory=options["chdir"].text if "chdir" in options else None,
        umask=options["umask"].text if "umask" in options else None,
        forks=not background,
    )


def _from_rhel_daemon(call: Call) -> Launch | None:
    """RHEL ``daemon [--user U] [--pidfile[=]F] [--check X] [+/-N] PROG ARGS [&]``."""
    words = list(call.args)
    user, pidfile = None, None
    while words and (words[0].text or "").startswith(("-", "+")):
        word = words.pop(0)
        key, equals, value = (word.text or "").partition("=")
        if key in ("--user", "--pidfile", "--check") and not equals and words:
            value, equals = words.pop(0).text or "", "="
        if key == "--user":
            user = value
        elif key == "--pidfile":
            pidfile = Word(text=value, span=word.span)
    if not words:
        return None
    return Launch(
        argv=tuple(words),
        span=call.span,
        launcher="daemon",
        pidfile=pidfile,
        user=user,
        forks=not call.background,
    )


def _from_start_daemon(call: Call) -> Launch | None:
    """LSB ``start_daemon [-f] [-n N] [-p F] PATH ARGS``."""
    words = list(call.args)
    pidfile = None
    while words and (words[0].text or "").startswith("-"):
        flag = words.pop(0).text
        if flag == "-p" and words:
            pidfile = words.pop(0)
        elif flag == "-n" and words:
            words.pop(0)
    if not words:
        return None
    return Launch(argv=tuple(words), span=call.span, launcher="start_daemon", pidfile=pidfile)


def _from_nohup(call: Call) -> Launch | None:
    if not call.args:
        return None
    return Launch(argv=call.args, span=call.span, launcher="nohup", forks=not call.background)


Recogniser = Callable[[Call], "Launch | None"]
RECOGNISERS: dict[str, Recogniser] = {
    "start-stop-daemon": _from_ssd,
    "daemon": _from_rhel_daemon,
    "start_daemon": _from_start_daemon,
    "nohup": _from_nohup,
}


def switch_user(call: Call) -> tuple[str, Word] | None:
    """Give the user and command string of ``su [-] U -c "…"`` or ``runuser -l U -c "…"``."""
    if call.name not in ("su", "runuser"):
        return None
    words = [w for w in call.args if w.text not in ("-", "-l", "--login", "-m", "-p")]
    user, command = None, None
    while words:
        word = words.pop(0)
        if word.text in ("-c", "--command") and words:
            command = words.pop(0)
        elif word.text in ("-s", "--shell", "-g", "--group") and words:
            words.pop(0)
        elif user is None and word.text and not word.text.startswith("-"):
            user = word.text
    return (user, command) if user and command and command.text else None


def stopping(calls: Iterable[Call]) -> Stopping:
    """Read the stop signal and timeout from start-stop-daemon ``--retry`` or killproc."""
    for call in calls:
        if call.name == "start-stop-daemon":
            options, flags, _ = start_stop_daemon(call)
            if "stop" not in flags or "test" in flags:
                continue
            signal, timeout = _retry(options.get("retry"))
            if "signal" in options and options["signal"].text:
                signal = _signal_name(options["signal"].text)
            return Stopping(signal=signal, timeout=timeout, span=call.span)
        texts = [w.text or "" for w in call.args]
        signal = next((_signal_name(t[1:]) for t in texts if _is_signal_flag(t)), None)
        if call.name in ("kill", "/bin/kill") and signal not in (None, "SIGKILL"):
            return Stopping(signal=signal, span=call.span)  # KILL comes after the timeout
        if call.name == "killproc":
            delay = texts[texts.index("-d") + 1] if "-d" in texts[:-1] else None
            timeout = float(delay) if delay and delay.isdigit() else None
            return Stopping(signal=signal, timeout=timeout, span=call.span)
    return Stopping()


def reloads_by_hangup(calls: Iterable[Call]) -> Span | None:
    """Where the reload arm sends the daemon SIGHUP (killproc, kill, start-stop-daemon)."""
    for call in calls:
        texts = [w.text or "" for w in call.args]
        hangup = any(t in ("-HUP", "-1", "-SIGHUP", "-s HUP") for t in texts)
        if call.name in ("killproc", "kill", "/bin/kill") and hangup:
            return call.span
        if call.name == "start-stop-daemon":
            options, flags, _ = start_stop_daemon(call)
            signal = options.get("signal")
            if "stop" in flags and signal and _signal_name(signal.text or "") == "SIGHUP":
                return call.span
    return None


def _retry(value: Word | None) -> tuple[str | None, float | None]:
    """``--retry TERM/30/KILL/5`` → (SIGTERM, 30); ``--retry 30`` → (None, 30)."""
    if value is None or not value.text:
        return None, None
    parts = [part for part in value.text.split("/") if part != "forever"]  # a repeat mark
    if len(parts) == 1:
        return None, float(parts[0]) if parts[0].isdigit() else None
    timeout = float(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    return _signal_name(parts[0]), timeout


_SIGNAL_NUMBERS = {"1": "SIGHUP", "2": "SIGINT", "3": "SIGQUIT", "9": "SIGKILL", "15": "SIGTERM"}


def _signal_name(text: str) -> str:
    text = text.upper().removeprefix("SIG")
    return _SIGNAL_NUMBERS.get(text, f"SIG{text}")


def _is_signal_flag(text: str) -> bool:
    return text.startswith("-") and text[1:].upper().removeprefix("SIG") in (
        "TERM", "HUP", "INT", "QUIT", "KILL", "USR1", "USR2", "15", "9", "1",
    )  # fmt: skip


def is_reference(text: str) -> bool:
    """Whether a whole word is one env-file variable (the unit expands it)."""
    return text.startswith(REFERENCE) and text.endswith(REFERENCE) and text.count(REFERENCE) == 2
