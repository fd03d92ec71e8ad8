"""Print what supervisor's own parser makes of a supervisord.conf, as JSON.

Run as ``INTERPRETER supervisor_dump.py CONFIG_FILE [--env NAME=VALUE ...]`` with any
Python that has supervisor (4.2.5 and 4.3.0 are known to work): it loads the file with
``ServerOptions().realize(args=["-c", CONFIG_FILE])``, as supervisord does at start-up,
with ``--env`` pairs as supervisord's whole environment (``%(ENV_X)s``), never this
process's own. Output: ``{"ok": true, "version", "groups": [...], "warnings": [...]}``
or ``{"ok": false, "version", "error": "..."}``. Standard library and supervisor only:
it runs under interpreters that do not have svconv.
"""

from __future__ import annotations

import argparse
import json
import pwd
import shlex  # noqa: TID251 - supervisor splits command= with shlex at spawn; so do we
import signal
import sys

from supervisor import datatypes, options
from supervisor.options import (
    VERSION,
    EventListenerPoolConfig,
    FastCGIGroupConfig,
    ServerOptions,
)

_BOOLEAN_RESTART = {
    datatypes.RestartUnconditionally: "true",
    datatypes.RestartWhenExitUnexpected: "unexpected",
}


class RejectedError(Exception):
    """supervisor called ``usage()``: it refuses the configuration."""


def main(argv: list[str]) -> int:
    arguments = _arguments(argv)
    environ = dict(pair.split("=", 1) for pair in arguments.env)
    sys.stdout.write(json.dumps(dump(arguments.config, environ), indent=1, sort_keys=True))
    sys.stdout.write("\n")
    return 0


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE")
    return parser.parse_args(argv)


def dump(path: str, environ: dict[str, str]) -> dict[str, object]:
    """Load ``path`` as supervisord would, with ``environ`` as its environment."""
    server = ServerOptions()
    # read_config() hands this very dict to the INI parser and extends it with
    # [supervisord] environment=; os.environ must not show through.
    server.environ_expansions = {f"ENV_{key}": value for key, value in environ.items()}
    # realize() reports every error in the file through usage(), which prints it and
    # calls sys.exit(2); take the message instead.
    server.usage = _reject
    try:
        server.realize(args=["-c", path])
    except RejectedError as error:
        return {"ok": False, "version": VERSION, "error": str(error)}
    return {
        "ok": True,
        "version": VERSION,
        "groups": [_group(group) for group in server.process_group_configs],
        "warnings": list(server.parse_warnings),
    }


def _reject(message: object) -> None:
    raise RejectedError(str(message))


def _group(group: options.ProcessGroupConfig) -> dict[str, object]:
    kind = "program"
    if isinstance(group, FastCGIGroupConfig):
        kind = "fcgi"
    elif isinstance(group, EventListenerPoolConfig):
        kind = "eventlistener"
    return {
        "name": group.name,
        "priority": group.priority,
        "kind": kind,
        "processes": [_process(process) for process in group.process_configs],
    }


def _process(config: options.ProcessConfig) -> dict[str, object]:
    try:
        argv: list[str] | None = shlex.split(config.command)
        argv_error = None
    except ValueError as error:  # supervisord would fail at spawn: BadCommand
        argv, argv_error = None, str(error)
    return {
        "name": config.name,
        "command": config.command,
        "argv": argv,
        "argv_error": argv_error,
        "directory": config.directory,
        "umask": config.umask,
        "priority": config.priority,
        "autostart": config.autostart,
        "autorestart": _BOOLEAN_RESTART.get(config.autorestart, "false"),
        "startsecs": config.startsecs,
        "startretries": config.startretries,
        # supervisor keeps only the uid of user=; this is the name it maps back to.
        "user": None if config.uid is None else pwd.getpwuid(config.uid).pw_name,
        "uid": config.uid,
        "stdout_logfile": _logfile(config.stdout_logfile),
        "stdout_syslog": config.stdout_syslog,
        "stderr_logfile": _logfile(config.stderr_logfile),
        "stderr_syslog": config.stderr_syslog,
        "redirect_stderr": config.redirect_stderr,
        "stopsignal": _signal_name(config.stopsignal),
        "stopwaitsecs": config.stopwaitsecs,
        "stopasgroup": config.stopasgroup,
        "killasgroup": config.killasgroup,
        "exitcodes": list(config.exitcodes),
        "environment": dict(config.environment or {}),
    }


def _logfile(value: object) -> object:
    if value is datatypes.Automatic:
        return "AUTO"
    return value


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:  # 0 (SIG_DFL) and others supervisor takes but no Signals member
        return str(number)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
