"""SV207 lifecycle.oneshot-restarted: a one-shot task told to restart always."""

from __future__ import annotations

from collections.abc import Iterator

from translator.diagnostics import Severity
from translator.lint.registry import Finding, rule, where
from translator.model import Host, RestartWhen


@rule(
    code="SV207",
    name="lifecycle.oneshot-restarted",
    severity=Severity.ERROR,
    formats=("systemd",),
)
def find_restarted_oneshots(host: Host) -> Iterator[Finding]:
    """What it does: flags ``Type=oneshot`` with ``Restart=always``.

    Why it matters: systemd refuses the unit ("Service has Restart= set to either always
    or on-success, which isn't allowed for Type=oneshot services"), so it never runs.

    Example:
        ```systemd backup.service
        [Service]
        Type=oneshot
        ExecStart=/usr/local/bin/backup
        Restart=always
        ```

    Use instead:
        ```systemd backup.service
        [Service]
        Type=oneshot
        ExecStart=/usr/local/bin/backup
        Restart=on-failure
        ```

    Fix: none; a task that should run again belongs in a timer, a retry in on-failure.
    """
    for service in host.services:
        if service.managed_by != "systemd" or not service.runs_once:
            continue
        if service.restart.when is RestartWhen.ALWAYS:
            yield Finding(
                span=where(service, "restart"),
                service=service.name,
                message="Type=oneshot with Restart=always: systemd refuses to load the unit",
            )
