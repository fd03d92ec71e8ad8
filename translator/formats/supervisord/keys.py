"""The options supervisor reads in each kind of process section.

supervisor (4.2.5 and 4.3: ``ServerOptions.processes_from_section`` and its callers)
asks for these keys and never looks at any other, so it ignores a misspelt option
without a word; the reader reports one (SV102). tests/formats/supervisord/test_keys.py
records which keys supervisor asks for and compares.
Imports: model, diagnostics, formats/supervisord.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from translator.diagnostics import Diagnostic, Severity
from translator.formats.supervisord import ini

_EVERY_PROCESS = frozenset({
    "command", "process_name", "numprocs", "numprocs_start", "priority", "autostart",
    "autorestart", "startsecs", "startretries", "exitcodes", "stopsignal", "stopwaitsecs",
    "stopasgroup", "killasgroup", "user", "redirect_stderr", "environment", "directory",
    "umask", "serverurl",
    *(f"{stream}_{option}" for stream in ("stdout", "stderr") for option in (
        "logfile", "logfile_maxbytes", "logfile_backups", "capture_maxbytes",
        "events_enabled", "syslog",
    )),
})  # fmt: skip
KEYS = {
    "program": _EVERY_PROCESS,
    "eventlistener": _EVERY_PROCESS | {"buffer_size", "events", "result_handler"},
    "fcgi-program": _EVERY_PROCESS | {"socket", "socket_backlog", "socket_owner", "socket_mode"},
}
"""The keys supervisor reads, by kind of section (``program`` of ``[program:web]``)."""


def unknown_keys(document: ini.Document) -> Iterator[Diagnostic]:
    """Report each key of a process section that supervisor does not read.

    Keys ``[DEFAULT]`` lends a section are left alone: they serve every section.
    """
    for name, section in document.sections.items():
        known = KEYS.get(name.partition(":")[0])
        if known is None:
            continue
        for key, value in section.values.items():
            if key in known:
                continue
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.8)
            hint = f" (did you mean {close[0]}?)" if close else ""
            yield Diagnostic(
                code="SV102",
                severity=Severity.WARNING,
                span=value.key_span,
                message=f"supervisord reads no {key} in [{name}] and ignores it{hint}",
            )
