"""The foreground knowledge base: exact rewrites, and every rule cites its manual page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest

from translator.knowledge import ForegroundRule, foreground, rules


@dataclass(frozen=True)
class Case:
    id: str
    argv: tuple[str, ...]
    foreground: tuple[str, ...] | None  # None: no rule knows the program
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


NGINX_CONF = ("/usr/sbin/nginx", "-c", "/etc/nginx/nginx.conf")
UWSGI_LOG = "/var/log/u.log"
PHP_FPM_CONF = ("--fpm-config", "/etc/php/8.2/fpm/php-fpm.conf")

CASES = [
    Case(
        id="sshd-plain",
        argv=("/usr/sbin/sshd",),
        foreground=("/usr/sbin/sshd", "-D"),
        added=("-D",),
    ),
    Case(
        id="sshd-already-foreground",
        argv=("/usr/sbin/sshd", "-D", "-e"),
        foreground=("/usr/sbin/sshd", "-D", "-e"),
    ),
    Case(
        id="nginx-config-file",
        argv=NGINX_CONF,
        foreground=(*NGINX_CONF, "-g", "daemon off;"),
        added=("-g", "daemon off;"),
    ),
    Case(
        id="nginx-keeps-only-the-last-g",
        argv=("nginx", "-g", "pid /run/nginx.pid;"),
        foreground=("nginx", "-g", "pid /run/nginx.pid; daemon off;"),
        added=("pid /run/nginx.pid; daemon off;",),
        removed=("pid /run/nginx.pid;",),
    ),
    Case(
        id="nginx-g-attached",
        argv=("nginx", "-gpid /run/nginx.pid;"),
        foreground=("nginx", "-gpid /run/nginx.pid; daemon off;"),
        added=("-gpid /run/nginx.pid; daemon off;",),
        removed=("-gpid /run/nginx.pid;",),
    ),
    Case(
        id="nginx-already-daemon-off",
        argv=("nginx", "-g", "daemon off; worker_processes 2;"),
        foreground=("nginx", "-g", "daemon off; worker_processes 2;"),
    ),
    Case(
        id="postfix-start-becomes-start-fg",
        argv=("/usr/sbin/postfix", "-c", "/etc/postfix", "start"),
        foreground=("/usr/sbin/postfix", "-c", "/etc/postfix", "start-fg"),
        added=("start-fg",),
        removed=("start",),
    ),
    Case(
        id="apachectl-start-command",
        argv=("/usr/sbin/apachectl", "start"),
        foreground=("/usr/sbin/apachectl", "-DFOREGROUND"),
        added=("-DFOREGROUND",),
        removed=("start",),
    ),
    Case(
        id="apachectl-k-start-keeps-its-value",
        argv=("apache2ctl", "-k", "start"),
        foreground=("apache2ctl", "-k", "start", "-DFOREGROUND"),
        added=("-DFOREGROUND",),
    ),
    Case(
        id="httpd-D-FOREGROUND-as-two-words",
        argv=("/usr/sbin/httpd", "-D", "FOREGROUND"),
        foreground=("/usr/sbin/httpd", "-D", "FOREGROUND"),
    ),
    Case(
        id="memcached-drops-d",
        argv=("memcached", "-d", "-p", "11211", "-u", "nobody"),
        foreground=("memcached", "-p", "11211", "-u", "nobody"),
        removed=("-d",),
    ),
    Case(
        id="uwsgi-daemonize-takes-its-log-file",
        argv=("uwsgi", "--daemonize", UWSGI_LOG, "--ini", "x.ini"),
        foreground=("uwsgi", "--ini", "x.ini"),
        removed=("--daemonize", UWSGI_LOG),
    ),
    Case(
        id="uwsgi-daemonize-equals",
        argv=("uwsgi", f"--daemonize={UWSGI_LOG}", "--ini", "x.ini"),
        foreground=("uwsgi", "--ini", "x.ini"),
        removed=(f"--daemonize={UWSGI_LOG}",),
    ),
    Case(
        id="uwsgi-d-attached",
        argv=("/usr/bin/uwsgi-core", f"-d{UWSGI_LOG}", "--ini", "x.ini"),
        foreground=("/usr/bin/uwsgi-core", "--ini", "x.ini"),
        removed=(f"-d{UWSGI_LOG}",),
    ),
    Case(
        id="gunicorn-drops-D",
        argv=("gunicorn", "-D", "app:app"),
        foreground=("gunicorn", "app:app"),
        removed=("-D",),
    ),
    Case(
        id="redis-config-file",
        argv=("redis-server", "/etc/redis.conf"),
        foreground=("redis-server", "/etc/redis.conf", "--daemonize", "no"),
        added=("--daemonize", "no"),
    ),
    Case(
        id="redis-daemonize-yes-is-not-foreground",
        argv=("redis-server", "--daemonize", "yes"),
        foreground=("redis-server", "--daemonize", "yes", "--daemonize", "no"),
        added=("--daemonize", "no"),
    ),
    Case(
        id="openvpn-daemon",
        argv=("openvpn", "--daemon", "--config", "x"),
        foreground=("openvpn", "--config", "x"),
        removed=("--daemon",),
    ),
    Case(
        id="openvpn-daemon-with-program-name",
        argv=("openvpn", "--daemon", "vpn-office", "--config", "x"),
        foreground=("openvpn", "--config", "x"),
        removed=("--daemon", "vpn-office"),
    ),
    Case(
        id="php-fpm-versioned-basename",
        argv=("/usr/sbin/php-fpm8.2", *PHP_FPM_CONF),
        foreground=("/usr/sbin/php-fpm8.2", *PHP_FPM_CONF, "-F"),
        added=("-F",),
    ),
    Case(
        id="php-fpm-D-dropped-even-when-F-given",
        argv=("php-fpm", "-F", "-D"),
        foreground=("php-fpm", "-F"),
        removed=("-D",),
    ),
    Case(
        id="ntpd-nofork-refuses-wait-sync",
        argv=("/usr/sbin/ntpd", "-g", "-w", "30"),
        foreground=("/usr/sbin/ntpd", "-g", "-n"),
        added=("-n",),
        removed=("-w", "30"),
    ),
    Case(
        id="smbd-daemon-flag-replaced",
        argv=("/usr/sbin/smbd", "-D"),
        foreground=("/usr/sbin/smbd", "-F", "--no-process-group"),
        added=("-F", "--no-process-group"),
        removed=("-D",),
    ),
    Case(
        id="tor-command-line-overrides-defaults",
        argv=("tor", "--defaults-torrc", "/usr/share/tor/tor-service-defaults-torrc"),
        foreground=(
            "tor",
            "--defaults-torrc",
            "/usr/share/tor/tor-service-defaults-torrc",
            "--RunAsDaemon",
            "0",
        ),
        added=("--RunAsDaemon", "0"),
    ),
    Case(
        id="vsftpd-known-and-already-foreground",
        argv=("vsftpd", "/etc/vsftpd.conf"),
        foreground=("vsftpd", "/etc/vsftpd.conf"),
    ),
    Case(
        id="pidfile-idiom",
        argv=("/bin/sh", "-c", "/usr/local/bin/frobd --port 80 & echo $! > /run/frobd.pid"),
        foreground=("/usr/local/bin/frobd", "--port", "80"),
        removed=("&", "echo $! > /run/frobd.pid"),
    ),
    Case(
        id="pidfile-idiom-of-a-known-daemon",
        argv=("bash", "-c", 'exec nohup memcached -d -p 11211 &\necho "$!" >/run/m.pid;'),
        foreground=("memcached", "-p", "11211"),
        removed=("-d", "nohup", "&", 'echo "$!" >/run/m.pid'),
    ),
    Case(  # quoting or expansion in the program's words: not read, rather than misread
        id="pidfile-idiom-with-quotes",
        argv=("/bin/sh", "-c", "frobd --name 'a b' & echo $! > /run/frobd.pid"),
        foreground=None,
    ),
    Case(
        id="background-without-pidfile",
        argv=("/bin/sh", "-c", "frobd & sleep 1"),
        foreground=None,
    ),
    Case(id="unknown-program", argv=("/usr/local/bin/frobd", "-d"), foreground=None),
    Case(id="not-a-version-suffix", argv=("php-fpm-legacy",), foreground=None),
    Case(id="empty-argv", argv=(), foreground=None),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_foreground(case: Case) -> None:
    form = foreground(case.argv)
    if case.foreground is None:
        assert form is None
        return
    assert form is not None
    assert (form.argv, form.added, form.removed) == (case.foreground, case.added, case.removed)
    assert form.changed == (form.argv != case.argv)


RULES = rules()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.daemon)
def test_rule_cites_its_manual_page(rule: ForegroundRule) -> None:
    assert rule.man.strip()
    assert rule.cites.strip()
    assert rule.package.strip()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.daemon)
def test_foreground_form_is_stable(rule: ForegroundRule) -> None:
    first = foreground((f"/usr/sbin/{rule.programs[0]}", *rule.remove))
    assert first is not None
    again = foreground(first.argv)
    assert again is not None
    assert (again.argv, again.changed) == (first.argv, False)


def test_daemon_names_are_unique() -> None:
    counts = Counter(rule.daemon for rule in RULES)
    assert [name for name, count in counts.items() if count > 1] == []


def test_no_two_rules_claim_a_program() -> None:
    claims = sorted(
        (program, rule.daemon)
        for program in {program for rule in RULES for program in rule.programs}
        for rule in RULES
        if rule.matches(program)
    )
    counts = Counter(program for program, _ in claims)
    assert [claim for claim in claims if counts[claim[0]] > 1] == []


def test_rules_are_loaded_once() -> None:
    assert rules() is RULES


def test_merging_rule_needs_one_option_and_one_value() -> None:
    with pytest.raises(ValueError, match="merges_into_existing"):
        ForegroundRule(
            daemon="x",
            package="x",
            programs=("x",),
            add=("-g",),
            merges_into_existing=True,
            man="x(8)",
            cites="x",
        )
