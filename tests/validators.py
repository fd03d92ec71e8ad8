"""Run the real programs that read svconv's output: systemd-analyze verify, monit -t.

In CI (``CI`` set) a missing program fails the test; elsewhere it skips.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

SYSTEM_UNITS = Path("/usr/lib/systemd/system")
_EXEC = re.compile(r"^\s*Exec[A-Za-z]*=[-@:+!]*(/[^\s;]+)", re.MULTILINE)
# What systemd-sysv-generator writes for /etc/init.d/monit, so a drop-in for it verifies.
_GENERATED_MONIT_UNIT = """[Unit]
Description=LSB: service and resource monitoring daemon
[Service]
Type=forking
ExecStart=/etc/init.d/monit start
ExecStop=/etc/init.d/monit stop
RemainAfterExit=yes
"""


def require(program: str) -> str:
    """Path of ``program``; fail in CI (the test command must install it), else skip."""
    found = shutil.which(program)
    if found:
        return found
    message = f"{program} is missing: the README's test command installs it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def systemd_verify(files: dict[str, str]) -> tuple[int, str]:
    """``systemd-analyze verify`` the units (and drop-ins) in ``files`` in a scratch root.

    Every absolute program an Exec line names exists there as a stub, so that "not
    executable" does not hide real errors; the host's own units are not read.
    """
    analyze = require("systemd-analyze")
    with tempfile.TemporaryDirectory(prefix="svconv-root-") as scratch:
        root = Path(scratch)
        units = _build_root(root, files)
        result = subprocess.run(
            [analyze, "verify", "--man=no", f"--root={root}", *units],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        return result.returncode, (result.stdout + result.stderr).replace(scratch, "")


def _build_root(root: Path, files: dict[str, str]) -> list[str]:
    (root / "usr/lib/systemd").mkdir(parents=True)
    shutil.copytree(SYSTEM_UNITS, root / "usr/lib/systemd/system", symlinks=True)
    for directory in ("bin", "sbin", "lib"):
        (root / "usr" / directory).mkdir(exist_ok=True)
        (root / directory).symlink_to(f"usr/{directory}")
    system = root / "etc/systemd/system"
    system.mkdir(parents=True)
    units = []
    for name, text in files.items():
        target = system / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        if "/" not in name:
            units.append(name)
        elif name.startswith("monit.service.d/"):
            (system / "monit.service").write_text(_GENERATED_MONIT_UNIT)
            units.append("monit.service")
        _stub_programs(root, text)
    _stub_programs(root, _GENERATED_MONIT_UNIT)
    return sorted(set(units))


def _stub_programs(root: Path, text: str) -> None:
    for program in _EXEC.findall(text):
        stub = root / program.lstrip("/")
        if "$" in program or "%" in program or stub.exists():
            continue
        stub.parent.mkdir(parents=True, exist_ok=True)
        stub.write_text("#!/bin/sh\n")
        stub.chmod(0o755)


def monit_check(files: dict[str, str]) -> tuple[int, str]:
    """``monit -t`` a control file that holds ``monitrc`` (if any) and includes the rest."""
    monit = require("monit")
    with tempfile.TemporaryDirectory(prefix="svconv-monit-") as scratch:
        directory = Path(scratch)
        lines = [f"set idfile {directory}/id", f"set statefile {directory}/state"]
        lines.append(files.get("monitrc", ""))
        for name, text in sorted(files.items()):
            if name != "monitrc":
                path = directory / "conf.d" / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
                lines.append(f'include "{path}"')
        control = directory / "monitrc"
        control.write_text("\n".join(lines) + "\n")
        control.chmod(0o600)
        result = subprocess.run(
            [monit, "-t", "-c", str(control)],
            capture_output=True,
            text=True,
            check=False,
            cwd=directory,
            env={**os.environ, "HOME": scratch},
            timeout=60,
        )
        return result.returncode, (result.stdout + result.stderr).replace(scratch, "")


SUPERVISOR_INTERPRETERS = {"pypi": sys.executable, "debian": "/usr/bin/python3"}
_REALIZE = (
    "import sys\n"
    "from supervisor.options import ServerOptions\n"
    "options = ServerOptions()\n"
    "options.realize(args=['-c', sys.argv[1]])\n"
    "print(len(options.process_group_configs), 'groups')\n"
)


def require_supervisor(python: str) -> str:
    """The interpreter ``python`` if it can import supervisor; fail in CI, else skip."""
    found = shutil.which(python) or (python if Path(python).exists() else None)
    if found:
        probe = subprocess.run([found, "-c", "import supervisor"], capture_output=True, check=False)
        if probe.returncode == 0:
            return found
    message = f"{python} has no supervisor: the README's test command installs it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def supervisor_check(files: dict[str, str], python: str) -> tuple[int, str]:
    """Run supervisor's own ``ServerOptions().realize()`` on ``files``.

    A ``supervisord.conf`` among them is the main file; otherwise the files are
    conf.d programs, included from a minimal main file as Debian's package does.
    """
    interpreter = require_supervisor(python)
    for text in files.values():
        prepare_host(text)
    with tempfile.TemporaryDirectory(prefix="svconv-supervisor-") as scratch:
        directory = Path(scratch)
        for name, text in files.items():
            path = directory / "conf.d" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        main = directory / "conf.d" / "supervisord.conf"
        if not main.exists():
            main = directory / "supervisord.conf"
            main.write_text(
                f"[supervisord]\nlogfile={scratch}/supervisord.log\n"
                f"pidfile={scratch}/supervisord.pid\n"
                "[include]\nfiles=conf.d/*.conf\n"
            )
        result = subprocess.run(
            [interpreter, "-c", _REALIZE, str(main)],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
            cwd=directory,
        )
        return result.returncode, (result.stdout + result.stderr).replace(scratch, "")


_LOGFILE = re.compile(r"^\w+_logfile\s*=\s*(/\S+)", re.MULTILINE)
_USER = re.compile(r"^user\s*=\s*(\S+)", re.MULTILINE)


def prepare_host(text: str) -> None:
    """Create the log directories and users a supervisord file names, as an operator would.

    supervisor refuses a file whose log directory or user does not exist; that is the
    host's business, not the file's, so tests make them (as root, in CI) rather than skip.
    """
    for logfile in _LOGFILE.findall(text):
        if "%(" not in logfile:
            Path(logfile).parent.mkdir(parents=True, exist_ok=True)
    for user in _USER.findall(text):
        if subprocess.run(["id", "-u", user], capture_output=True, check=False).returncode:
            subprocess.run(["useradd", "--system", "--no-create-home", user], check=True)


def shell_check(script: Path) -> list[str]:
    """Run ``bash -n``, ``dash -n`` and ``shellcheck -s sh`` on ``script``; their output."""
    findings = []
    for command in (
        [require("bash"), "-n"],
        [require("dash"), "-n"],
        [require("shellcheck"), "-s", "sh"],
    ):
        result = subprocess.run(
            [*command, str(script)], capture_output=True, text=True, check=False, timeout=60
        )
        if result.returncode or result.stdout or result.stderr:
            findings.append(f"{command[0]}: {result.stdout}{result.stderr}")
    return findings


def sysv_generated_unit(script: Path) -> str:
    """What systemd-sysv-generator makes of ``script`` (offline, in a scratch tree)."""
    generator = Path("/lib/systemd/system-generators/systemd-sysv-generator")
    if not generator.exists():
        require("systemd-sysv-generator")  # fails in CI, skips elsewhere
    with tempfile.TemporaryDirectory(prefix="svconv-sysv-") as scratch:
        root = Path(scratch)
        init = root / "init.d"
        init.mkdir()
        shutil.copy(script, init / script.name)
        (init / script.name).chmod(0o755)
        out = root / "out"
        out.mkdir()
        subprocess.run(
            [str(generator), str(out), str(out), str(out)],
            env={"SYSTEMD_SYSVINIT_PATH": str(init), "SYSTEMD_SYSVRCND_PATH": str(root / "rc")},
            capture_output=True,
            check=False,
            timeout=60,
        )
        unit = out / f"{script.name}.service"
        return unit.read_text() if unit.exists() else ""


def insserv_check(scripts: list[Path]) -> list[str]:
    """Run ``insserv -n`` (a dry run) over ``scripts`` in a scratch tree; its complaints.

    Its one line about the dry run itself is not a complaint.
    """
    insserv = require("insserv")
    with tempfile.TemporaryDirectory(prefix="svconv-insserv-") as scratch:
        root = Path(scratch)
        init = root / "init.d"
        init.mkdir()
        for level in ("0", "1", "2", "3", "4", "5", "6", "S"):
            (root / f"rc{level}.d").mkdir()
        for script in scripts:
            shutil.copy(script, init / script.name)
            (init / script.name).chmod(0o755)
        result = subprocess.run(
            [insserv, "-n", "-s", "-c", "/etc/insserv.conf", "-p", str(init)],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
            cwd=init,
        )
        lines = result.stderr.splitlines()
        return [line for line in lines if "dryrun, not creating" not in line]
