"""SV102 syntax.unknown-key: a setting its program does not know in that section."""

from translator.diagnostics import Severity
from translator.lint.registry import reported

RULE = reported(
    code="SV102",
    name="syntax.unknown-key",
    severity=Severity.ERROR,
    formats=("supervisord", "systemd"),
    doc="""
    What it does: flags a key its program does not read where it stands: a systemd
    setting the section does not list in ``systemd --dump-configuration-items`` (of the
    systemd in ``translator/formats/systemd/keys.txt``), a section systemd does not
    know, or a supervisord option no ``[program:x]``, ``[eventlistener:x]`` or
    ``[fcgi-program:x]`` reads. systemd's ``X-`` keys and sections are left alone;
    monit refuses an unknown statement (SV101).

    Why it matters: both programs skip the line, systemd with a warning in the journal,
    supervisord without a word: the setting has no effect. A typo (``Restrat=``) or a
    setting in the wrong section (``After=`` in ``[Service]``) leaves the service
    running with the default.

    Example:
        ```systemd web.service
        [Service]
        ExecStart=/usr/sbin/web
        Restrat=on-failure
        ```

    Use instead:
        ```systemd web.service
        [Service]
        ExecStart=/usr/sbin/web
        Restart=on-failure
        ```

    Fix: none; the message names the section the key belongs in, or the key it most
    looks like. A setting of a newer systemd than the list's is reported too:
    suppress it where that systemd runs the unit.
    """,
)
