"""Read monit control files into the supervision model.

lark parses each file into a flat list of statements (``grammars/monit.lark``); includes
are spliced in where they stand, as monit does, and every service option then attaches
to the ``check`` before it. Imports: model, diagnostics, errors, formats/_grammar.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from lark import Token, Transformer, UnexpectedCharacters, UnexpectedInput, UnexpectedToken, v_args
from lark.tree import Meta

from translator.diagnostics import Diagnostic, IncludeLoader, ParseResult, Severity
from translator.errors import ParseError
from translator.formats import _grammar
from translator.formats._grammar import span_of
from translator.formats._options import ParseOptions
from translator.formats.monit import quoting
from translator.model import (
    Action,
    Alert,
    AttributeProbe,
    Command,
    Dependency,
    ExistenceProbe,
    Extra,
    HealthCheck,
    Host,
    NetworkProbe,
    Origin,
    ResourceProbe,
    RestartPolicy,
    RestartWhen,
    Service,
    ServiceKind,
    Source,
    Span,
    StartLimit,
)

FORMAT = "monit"
DEFAULT_CYCLE_SECONDS = 120.0
"""monit's cycle where no ``set daemon`` says: Debian's monitrc sets 120 seconds."""
MAX_INCLUDE_DEPTH = 16


_KIND_BY_WORD = {
    "file": ServiceKind.FILE,
    "fifo": ServiceKind.FIFO,
    "directory": ServiceKind.DIRECTORY,
    "filesystem": ServiceKind.FILESYSTEM,
    "device": ServiceKind.FILESYSTEM,
}
_ACTION_BY_WORD = {
    "alert": Action.ALERT,
    "restart": Action.RESTART,
    "start": Action.START,
    "stop": Action.STOP,
    "unmonitor": Action.UNMONITOR,
    "monitor": Action.START,
    "timeout": Action.GIVE_UP,
}
_OPERATORS = {
    "gt": ">", "greater": ">", "lt": "<", "less": "<", "eq": "==", "equal": "==",
    "=": "==", "ne": "!=", "notequal": "!=", "<>": "!=", "older": ">", "newer": "<",
}  # fmt: skip
# monit 5.33's protocol tests (src/p.y, "protocol:"); anything else is a syntax error.
_PROTOCOLS = frozenset(
    [
        "apache-status",
        "clamav",
        "default",
        "dns",
        "dwp",
        "fail2ban",
        "ftp",
        "generic",
        "gps",
        "http",
        "https",
        "imap",
        "imaps",
        "ldap2",
        "ldap3",
        "lmtp",
        "memcache",
        "mongodb",
        "mqtt",
        "mysql",
        "mysqls",
        "nntp",
        "ntp3",
        "pgsql",
        "pop",
        "pops",
        "postfix-policy",
        "radius",
        "rdate",
        "redis",
        "rsync",
        "sieve",
        "sip",
        "smtp",
        "smtps",
        "spamassassin",
        "ssh",
        "tns",
        "websocket",
        "ws",
    ]
)
_COUNTED_METRICS = frozenset({"children", "totalchildren", "total children", "threads"})
_HASH_LENGTHS = {"md5": (32,), "sha1": (40,), "": (32, 40)}
_CRON_FIELD = re.compile(r"\*|\d+(-\d+)?(,\d+(-\d+)?)*")
_COMMENT = re.compile(r"""(?P<kept>"[^"\n]*"|'[^'\n]*'|\{[^}]*\}|\[[^\]]*\])|#[^\n]*""")
"""A comment (``#`` to the end of the line), or a quoted, braced or bracketed part it
cannot start in."""
MAX_CYCLES = 64
_EXPECTED_WORDS = {
    "STRING": "a quoted string", "PATH": "a path", "WORD": "a name", "NUMBER": "a number",
    "MAIL_ADDRESS": "a mail address", "OPERATOR": "an operator", "METRIC": "a resource",
    "CHECK_PROCESS": '"check process"', "PROTOCOL_NAME": "a protocol name",
    "CYCLES": '"cycles"', "SECONDS": '"seconds"',
}  # fmt: skip


# ---------------------------------------------------------------- statement records


@dataclass(slots=True)
class _Draft:
    """A service being assembled from the statements after its ``check``."""

    fields: dict[str, Any]
    spans: dict[str, Span]
    span: Span
    restart_limit: tuple[int, int, Action, Span] | None = None


@dataclass(frozen=True, slots=True)
class _Check:
    kind: ServiceKind
    name: str
    header: dict[str, Any]
    spans: dict[str, Span]
    span: Span


@dataclass(frozen=True, slots=True)
class _Option:
    keyword: str
    apply: Callable[[_Draft], None]
    span: Span


@dataclass(frozen=True, slots=True)
class _Include:
    pattern: str
    span: Span


@dataclass(frozen=True, slots=True)
class _Setting:
    apply: Callable[[_HostDraft], None]
    span: Span


@dataclass(slots=True)
class _HostDraft:
    probe_interval: float | None = None
    start_delay: float | None = None
    alerts: list[Alert] = field(default_factory=list)
    extras: list[Extra] = field(default_factory=list)
    spans: dict[str, Span] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _RestartLimit:
    burst: int
    cycles: int


_Statement = _Check | _Option | _Include | _Setting


# ---------------------------------------------------------------- helpers


def _text(token: Token) -> str:
    """Token text with surrounding quotes removed."""
    value = str(token)
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _kept(match: re.Match[str]) -> str:
    return match.group("kept") or ""


def _tokens(children: list[Any], *types: str) -> list[Token]:
    return [c for c in children if isinstance(c, Token) and c.type in types]


def _number(token: Token) -> float:
    return float(str(token))


# ---------------------------------------------------------------- transformer


@v_args(meta=True)
class _Statements(Transformer[Token, list[_Statement]]):
    """Turn lark's tree into statement records, each with its source span."""

    def __init__(self, source: Source) -> None:
        super().__init__()
        self._source = source
        self.notes: list[Diagnostic] = []

    def _span(self, meta: Meta | Token) -> Span:
        return span_of(self._source.path, meta)

    def _verbatim(self, meta: Meta) -> str:
        # one line: a comment inside the statement would swallow the rest of it
        text = _COMMENT.sub(_kept, self._source.text[meta.start_pos : meta.end_pos])
        return " ".join(text.split())

    def start(self, meta: Meta, children: list[_Statement]) -> list[_Statement]:
        return children

    def include(self, meta: Meta, children: list[Token]) -> _Include:
        return _Include(pattern=_text(children[-1]), span=self._span(meta))

    # -- set statements ------------------------------------------------------------

    def set_daemon(self, meta: Meta, children: list[Token]) -> _Setting:
        numbers = _tokens(children, "NUMBER")

        span = self._span(meta)

        def apply(host: _HostDraft) -> None:
            host.probe_interval = _number(numbers[0])
            host.start_delay = _number(numbers[1]) if len(numbers) > 1 else None
            host.spans.update(probe_interval=span, start_delay=span)

        return _Setting(apply=apply, span=span)

    def set_alert(self, meta: Meta, children: list[Any]) -> _Setting:
        option: _Option = children[-1]
        return _Setting(apply=_host_alert(option, self._verbatim(meta)), span=self._span(meta))

    def _extra_setting(self, meta: Meta, children: list[Any]) -> _Setting:
        keyword = str(children[1]).lower()
        extra = Extra(
            format=FORMAT,
            key=f"set {keyword}",
            value=self._verbatim(meta),
            origin=Origin(span=self._span(meta)),
        )
        return _Setting(apply=lambda host: host.extras.append(extra), span=self._span(meta))

    set_log = set_file = set_eventqueue = set_mailserver = set_mailformat = _extra_setting
    set_httpd = set_limits = set_onreboot = set_simple = _extra_setting

    # -- check headers -------------------------------------------------------------

    def service_name(self, meta: Meta, children: list[Token]) -> Token:
        return children[0]

    def check(self, meta: Meta, children: list[Token]) -> _Check:
        opener, name, *rest = children
        words = str(opener).lower().split()
        header: dict[str, Any] = {}
        spans: dict[str, Span] = {"name": self._span(name)}
        kind = _KIND_BY_WORD.get(words[-1]) or ServiceKind(words[-1])
        if rest:
            value_token = rest[1]
            keyword = str(rest[0]).lower()
            slot = {"pidfile": "pidfile", "matching": "match_pattern"}.get(keyword, "target")
            header[slot] = _text(value_token)
            spans[slot] = self._span(value_token)
        if kind is ServiceKind.PROGRAM and len(rest) > 2:
            header["program_timeout"] = _number(rest[3])
        return _Check(
            kind=kind, name=_text(name), header=header, spans=spans, span=self._span(meta)
        )

    # -- service options -----------------------------------------------------------

    def uid(self, meta: Meta, children: list[Token]) -> tuple[str, Any]:
        return ("user", _text(children[1]))

    def gid(self, meta: Meta, children: list[Token]) -> tuple[str, Any]:
        return ("group", _text(children[1]))

    def timeout(self, meta: Meta, children: list[Token]) -> tuple[str, Any]:
        return ("timeout", _number(children[1]))

    def program(self, meta: Meta, children: list[Any]) -> _Option:
        keyword = str(children[0]).lower()
        string: Token = children[1]
        span = self._span(meta)
        if str(string).startswith("'"):
            raise ParseError("a program must be in double quotes", self._span(string), code="SV101")
        options: dict[str, Any] = dict(c for c in children[2:] if isinstance(c, tuple))
        # A stop program's timeout is how long monit waits for the service to stop.
        stop_timeout = options.pop("timeout", None) if keyword == "stop" else None
        command = Command(
            argv=quoting.split(_text(string), self._span(string)),
            origin=Origin(span=span, fields=(("argv", self._span(string)),)),  # quotes included
            **options,
        )
        slot = {"start": "start", "stop": "stop", "restart": "restart_command"}[keyword]

        def apply(draft: _Draft) -> None:
            draft.fields[slot] = command
            draft.spans[slot] = span
            if stop_timeout is not None:
                draft.fields["stop_timeout"] = stop_timeout
                draft.spans["stop_timeout"] = span

        return _Option(keyword=keyword, apply=apply, span=span)

    def depends(self, meta: Meta, children: list[Token]) -> _Option:
        names = [(_text(t), self._span(t)) for t in children[1:]]

        def apply(draft: _Draft) -> None:
            deps = draft.fields.setdefault("dependencies", [])
            deps.extend(Dependency(name=n, origin=Origin(span=s)) for n, s in names)

        return _Option(keyword="depends", apply=apply, span=self._span(meta))

    def group(self, meta: Meta, children: list[Token]) -> _Option:
        name = _text(children[1])
        return _Option(
            keyword="group",
            apply=lambda draft: draft.fields.setdefault("groups", []).append(name),
            span=self._span(meta),
        )

    def _extra_option(self, meta: Meta, children: list[Any]) -> _Option:
        keyword = str(children[0]).lower()
        extra = Extra(
            format=FORMAT,
            key=keyword,
            value=self._verbatim(meta),
            origin=Origin(span=self._span(meta)),
        )
        return _Option(
            keyword=keyword,
            apply=lambda draft: draft.fields.setdefault("extras", []).append(extra),
            span=self._span(meta),
        )

    noalert = _extra_option

    def every(self, meta: Meta, children: list[Token]) -> _Option:
        cron = next((c for c in children if c.type == "STRING"), None)
        if cron is not None:
            fields = _text(cron).split()
            if len(fields) != 5 or not all(_CRON_FIELD.fullmatch(f) for f in fields):
                raise ParseError(f"invalid every format {cron!s}", self._span(cron), code="SV103")
        return self._extra_option(meta, children)

    def mode(self, meta: Meta, children: list[Token]) -> _Option:
        value = str(children[1]).lower()
        if value == "manual":
            return self._extra_option(meta, children)
        span = self._span(meta)
        when = RestartWhen.NEVER if value == "passive" else RestartWhen.ALWAYS

        def apply(draft: _Draft) -> None:
            draft.fields["restart"] = RestartPolicy(when=when, origin=Origin(span=span))
            draft.spans["restart"] = span

        return _Option(keyword="mode", apply=apply, span=span)

    def onreboot(self, meta: Meta, children: list[Token]) -> _Option:
        value = str(children[1]).lower()
        if value == "laststate":
            return self._extra_option(meta, children)
        span = self._span(meta)

        def apply(draft: _Draft) -> None:
            draft.fields["enabled_at_boot"] = value == "start"
            draft.spans["enabled_at_boot"] = span

        return _Option(keyword="onreboot", apply=apply, span=span)

    def event(self, meta: Meta, children: list[Token]) -> str:
        return " ".join(str(c).lower() for c in children)

    def event_set(self, meta: Meta, children: list[str]) -> tuple[str, ...]:
        return tuple(children)

    def reminder(self, meta: Meta, children: list[Token]) -> str:
        return "reminder"

    def mail_format(self, meta: Meta, children: list[Token]) -> str:
        return "mail-format"

    def alert(self, meta: Meta, children: list[Any]) -> _Option:
        if any(isinstance(c, str) and not isinstance(c, Token) for c in children):
            return self._extra_option(meta, children)  # reminder or mail-format: verbatim
        recipient = _text(children[1])
        events: tuple[str, ...] = next((c for c in children if isinstance(c, tuple)), ())
        is_exclusion = any(isinstance(c, Token) and c.type == "NOT" for c in children)
        alert = Alert(
            recipient=recipient,
            events=events,
            is_exclusion=is_exclusion,
            origin=Origin(span=self._span(meta)),
        )
        return _Option(
            keyword="alert",
            apply=lambda draft: draft.fields.setdefault("alerts", []).append(alert),
            span=self._span(meta),
        )

    # -- tests ---------------------------------------------------------------------

    def if_stmt(self, meta: Meta, children: list[Any]) -> _Option:
        span = self._span(meta)
        test = children[1]
        rate = next((c for c in children if isinstance(c, _Rate)), _Rate(1, 1))
        record = next(c for c in children if isinstance(c, _ActionRecord))
        recovery = next((c for c in children if isinstance(c, _Recovery)), None)
        if isinstance(test, _RestartLimit):
            return _Option(keyword="if", apply=_limit_applier(test, record.action, span), span=span)
        check = HealthCheck(
            probe=test,
            failures=rate.failures,
            window=rate.window,
            action=record.action,
            action_argv=record.argv,
            action_user=record.user,
            action_group=record.group,
            action_repeat=record.repeat,
            recovery=recovery.action if recovery else None,
            recovery_argv=recovery.argv if recovery else (),
            origin=Origin(span=span),
        )
        return _Option(
            keyword="if",
            apply=lambda draft: draft.fields.setdefault("health_checks", []).append(check),
            span=span,
        )

    def recovery(self, meta: Meta, children: list[Any]) -> _Recovery:
        record = next(c for c in children if isinstance(c, _ActionRecord))
        if record.user or record.group or record.repeat:
            raise ParseError(
                "svconv keeps no uid, gid or repeat on an else-if exec action",
                self._span(meta),
                code="SV101",
            )
        return _Recovery(record.action, record.argv)

    def rate(self, meta: Meta, children: list[Token]) -> _Rate:
        tokens = _tokens(children, "NUMBER")
        numbers = [int(_number(t)) for t in tokens]
        failures, window = numbers[0], numbers[-1]
        if not 1 <= window <= MAX_CYCLES:
            raise ParseError(
                f"the number of cycles must be between 1 and {MAX_CYCLES}",
                self._span(tokens[-1]),
                code="SV112",
            )
        if not 1 <= failures <= window:
            raise ParseError(
                "the number of events must be between 1 and the number of cycles",
                self._span(tokens[0]),
                code="SV112",
            )
        return _Rate(failures, window)

    def restarts(self, meta: Meta, children: list[Token]) -> _RestartLimit:
        tokens = _tokens(children, "NUMBER")
        burst, cycles = (int(_number(t)) for t in tokens)
        if burst > cycles:
            raise ParseError(
                "the number of restarts must not exceed the number of cycles",
                self._span(tokens[1]),
                code="SV112",
            )
        if burst < 1:  # monit refuses it; read as before, reported to lint
            self.notes.append(
                Diagnostic(
                    code="SV112",
                    severity=Severity.WARNING,
                    span=self._span(tokens[0]),
                    message=f"{burst} restarts within {cycles} cycles: monit refuses a count "
                    "below 1",
                )
            )
        return _RestartLimit(burst=burst, cycles=cycles)

    def connection(self, meta: Meta, children: list[tuple[str, Any]]) -> NetworkProbe:
        values: dict[str, Any] = {}
        details: list[tuple[str, str]] = []
        for key, value in (c for c in children if isinstance(c, tuple)):
            if key in NetworkProbe.__dataclass_fields__:
                values[key] = value
            else:
                details.append((key, value))
        return NetworkProbe(details=tuple(details), **values)

    def host(self, meta: Meta, c: list[Token]) -> tuple[str, Any]:
        return ("host", _text(c[1]))

    def port(self, meta: Meta, c: list[Token]) -> tuple[str, Any]:
        return ("port", int(_number(c[1])))

    def unixsocket(self, meta: Meta, c: list[Token]) -> tuple[str, Any]:
        return ("socket_path", _text(c[1]))

    def transport(self, meta: Meta, c: list[Token]) -> tuple[str, Any]:
        return ("transport", str(c[1]).lower())

    def protocol(self, meta: Meta, c: list[Token]) -> tuple[str, Any]:
        name = str(c[1]).lower()
        if name not in _PROTOCOLS:
            raise ParseError(f"unknown protocol {str(c[1])!r}", self._span(c[1]), code="SV103")
        return ("protocol", name)

    def request(self, meta: Meta, c: list[Token]) -> tuple[str, Any]:
        return ("request", _text(c[1]))

    def expect_status(self, meta: Meta, c: list[Token]) -> tuple[str, Any]:
        return ("expect_status", int(_number(c[-1])))

    def status(self, meta: Meta, c: list[Token]) -> AttributeProbe:
        operator = str(c[1]).lower() if len(c) > 2 else "=="
        return AttributeProbe(
            attribute="status", operator=_OPERATORS.get(operator, operator), expected=str(c[-1])
        )

    def family(self, meta: Meta, c: list[Token]) -> tuple[str, Any]:
        return ("family", str(c[0]).lower())

    def _detail(self, meta: Meta, c: list[Token]) -> tuple[str, Any]:
        return (str(c[0]).lower().split()[-1], " ".join(str(t) for t in c[1:]))

    headers = body_content = retry = send = expect = _detail

    def url(self, meta: Meta, c: list[Token]) -> NetworkProbe:
        rest = " ".join(str(t) for t in c[3:])
        details = (("url", str(c[2])),) + ((("options", rest),) if rest else ())
        return NetworkProbe(transport="url", details=details)

    def icmp(self, meta: Meta, c: list[Token]) -> NetworkProbe:
        return NetworkProbe(transport="icmp", details=_count_detail(c))

    ping = icmp

    def existence(self, meta: Meta, c: list[Token]) -> ExistenceProbe:
        return ExistenceProbe(expect_exists=not _tokens(c, "NOT"))

    def changed(self, meta: Meta, c: list[Token]) -> AttributeProbe:
        return AttributeProbe(attribute=str(c[1]).lower(), changed=True)

    def failed_attribute(self, meta: Meta, c: list[Token]) -> AttributeProbe:
        attribute = next(t for t in c[1:] if t.type != "HASH_TYPE")
        values = [t for t in c[1:] if t.type in ("NUMBER", "WORD", "HASH_TYPE")]
        name = str(attribute).lower()
        name = "permission" if name.startswith("perm") else name
        if name == "checksum":
            self._check_hash(c)
        expected = " ".join(str(v) for v in values) or None
        return AttributeProbe(attribute=name, expected=expected)

    def _check_hash(self, children: list[Token]) -> None:
        hash_type = next((str(t).lower() for t in children if t.type == "HASH_TYPE"), "")
        value = next((t for t in children if t.type == "WORD"), None)
        lengths = _HASH_LENGTHS[hash_type]
        is_hex = value is not None and all(ch in "0123456789abcdefABCDEF" for ch in str(value))
        if value is not None and (len(str(value)) not in lengths or not is_hex):
            raise ParseError(f"invalid checksum [{value}]", self._span(value), code="SV103")

    def resource(self, meta: Meta, c: list[Any]) -> ResourceProbe:
        metric = " ".join(str(c[0]).lower().split())
        operator_tokens = _tokens(c, "OPERATOR")
        operator = str(operator_tokens[0]).lower() if operator_tokens else "=="
        unit = next((u for u in c if isinstance(u, str) and not isinstance(u, Token)), "")
        limit = _tokens(c, "NUMBER")[0]
        if metric in _COUNTED_METRICS and "." in str(limit):
            raise ParseError(f"{metric} is a count, not {limit}", self._span(limit), code="SV103")
        return ResourceProbe(
            metric=metric,
            operator=_OPERATORS.get(operator, operator),
            limit=_number(limit),
            unit=unit,
        )

    def unit(self, meta: Meta, c: list[Token]) -> str:
        word = str(c[0]).lower()
        return "%" if word in ("%", "percent") else word

    def content(self, meta: Meta, c: list[Token]) -> AttributeProbe:
        return AttributeProbe(
            attribute="content", expected=_text(c[-1]), negated=bool(_tokens(c, "NOT"))
        )

    def link_test(self, meta: Meta, c: list[Token]) -> AttributeProbe:
        return AttributeProbe(attribute="link", expected=str(c[1]).lower())

    # -- actions -------------------------------------------------------------------

    def _simple_action(self, meta: Meta, c: list[Token]) -> _ActionRecord:
        return _ActionRecord(_ACTION_BY_WORD[str(c[0]).lower()])

    alert_action = restart_action = start_action = stop_action = _simple_action
    unmonitor_action = monitor_action = timeout_action = _simple_action

    def exec_action(self, meta: Meta, c: list[Any]) -> _ActionRecord:
        options: dict[str, Any] = dict(item for item in c if isinstance(item, tuple))
        cycles = [int(_number(t)) for t in _tokens(c, "NUMBER")]
        return _ActionRecord(
            Action.EXEC,
            quoting.split(_text(c[1]), self._span(c[1])),
            user=options.get("user"),
            group=options.get("group"),
            repeat=cycles[0] if cycles else None,
        )


@dataclass(frozen=True, slots=True)
class _Rate:
    failures: int
    window: int


@dataclass(frozen=True, slots=True)
class _ActionRecord:
    """An action and, for ``exec``, its argv, identity and repetition."""

    action: Action
    argv: tuple[str, ...] = ()
    user: str | None = None
    group: str | None = None
    repeat: int | None = None


@dataclass(frozen=True, slots=True)
class _Recovery:
    action: Action
    argv: tuple[str, ...]


def _count_detail(children: list[Token]) -> tuple[tuple[str, str], ...]:
    counts = [str(c) for c in children if c.type == "NUMBER"]
    return (("count", counts[0]),) if _tokens(children, "COUNT") and counts else ()


def _limit_applier(limit: _RestartLimit, action: Action, span: Span) -> Callable[[_Draft], None]:
    # At a restart limit, "unmonitor" and its old name "timeout" both give up on it.
    if action is Action.UNMONITOR:
        action = Action.GIVE_UP

    def apply(draft: _Draft) -> None:
        draft.restart_limit = (limit.burst, limit.cycles, action, span)
        draft.spans["start_limit"] = span

    return apply


def _host_alert(option: _Option, verbatim: str) -> Callable[[_HostDraft], None]:
    def apply(host: _HostDraft) -> None:
        probe = _Draft(fields={}, spans={}, span=option.span)
        option.apply(probe)
        host.alerts.extend(probe.fields.get("alerts", ()))
        for extra in probe.fields.get("extras", ()):
            host.extras.append(replace(extra, key="set alert", value=verbatim))

    return apply


# ---------------------------------------------------------------- parse


def parse(
    source: Source,
    *,
    load_include: IncludeLoader | None = None,
    options: ParseOptions | None = None,
    fragment: bool = False,
) -> ParseResult:
    """Parse a monit control file (and, through ``load_include``, what it includes).

    ``fragment=True`` reads a file meant to be included inside a check (monit's
    ``templates/rootbin``): its options then attach to a placeholder check and are
    returned as that check's extras. Raises ParseError on input monit rejects.
    """
    return parse_many([source], load_include=load_include, options=options, fragment=fragment)


def parse_many(
    sources: list[Source],
    *,
    load_include: IncludeLoader | None = None,
    options: ParseOptions | None = None,
    fragment: bool = False,
) -> ParseResult:
    """Parse several files as one control file, as if the first included the others.

    That is how monit reads a monitrc and its conf.d: one ``set daemon`` gives the
    cycle length for every check, and a check may depend on one in another file.
    """
    diagnostics: list[Diagnostic] = []
    statements = [
        statement
        for source in sources
        for statement in _statements(source, load_include, diagnostics, depth=0)
    ]
    cycle = (options or ParseOptions()).poll_interval or DEFAULT_CYCLE_SECONDS
    host = _build_host(statements, sources[0], diagnostics, fragment=fragment, cycle=cycle)
    return ParseResult(host=host, diagnostics=tuple(diagnostics))


def _statements(
    source: Source,
    load_include: IncludeLoader | None,
    diagnostics: list[Diagnostic],
    depth: int,
) -> Iterator[_Statement]:
    """Yield the statements of ``source`` with its includes spliced in place."""
    for statement in _parse_file(source, diagnostics):
        if not isinstance(statement, _Include):
            yield statement
            continue
        if load_include is None:
            diagnostics.append(_include_note(statement, "include not followed", "SV801"))
            yield statement
            continue
        if depth >= MAX_INCLUDE_DEPTH:
            raise ParseError("includes nested too deep (a cycle?)", statement.span, code="SV101")
        included = load_include(statement.pattern, statement.span)
        if not included:
            diagnostics.append(_include_note(statement, "include matches no file", "SV301"))
            yield statement
        for child in included:
            yield from _statements(child, load_include, diagnostics, depth + 1)


def _include_note(statement: _Include, message: str, code: str) -> Diagnostic:
    return Diagnostic(
        code=code,
        message=f"{message}: {statement.pattern}",
        span=statement.span,
        severity=Severity.INFO,
    )


def _parse_file(source: Source, diagnostics: list[Diagnostic]) -> list[_Statement]:
    """Run lark and the transformer on one file; syntax errors become ParseError."""
    try:
        tree = _grammar.load("monit", strict=False).parse(source.text)
    except UnexpectedInput as error:
        raise _syntax_error(error, source) from None
    reader = _Statements(source)
    statements = _grammar.transform(reader, tree)
    diagnostics += reader.notes
    return statements


def _syntax_error(error: UnexpectedInput, source: Source) -> ParseError:
    """Describe a lark error the way a person reads it: what was found, what was expected."""
    line, column = error.line or 1, error.column or 1
    span = Span(path=source.path, line=line, column=column, end_line=line, end_column=column)
    if isinstance(error, UnexpectedToken):
        found = "end of file" if error.token.type == "$END" else repr(str(error.token))
        expected = sorted(error.accepts or error.expected)
    elif isinstance(error, UnexpectedCharacters):
        position = error.pos_in_stream or 0
        character = source.text[position : position + 1]
        if character in "\"'":
            return ParseError("unterminated quoted string", span, code="SV101")
        found = repr(character)
        expected = sorted(error.allowed or ())
    else:
        found, expected = "end of file", []
    names = sorted(
        {
            _EXPECTED_WORDS.get(t, f'"{t.lower().replace("_", " ")}"')
            for t in expected
            if not t.startswith("__")
        }
    )
    hint = f"; expected {_one_of(names)}" if names else ""
    return ParseError(f"unexpected {found}{hint}", span, code="SV101")


def _one_of(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    shown = names[:8] + (["…"] if len(names) > 8 else [])
    return "one of " + ", ".join(shown)


def _build_host(
    statements: list[_Statement],
    source: Source,
    diagnostics: list[Diagnostic],
    *,
    fragment: bool,
    cycle: float,
) -> Host:
    """Fold statements into services: each option belongs to the check before it."""
    host = _HostDraft()
    drafts: list[_Draft] = []
    for statement in statements:
        if isinstance(statement, _Setting):
            statement.apply(host)
        elif isinstance(statement, _Include):
            _keep_include(statement, drafts[-1] if drafts else None, host)
        elif isinstance(statement, _Check):
            drafts.append(_open_draft(statement, drafts))
        elif isinstance(statement, _Option):
            if not drafts and fragment:
                drafts.append(_fragment_draft(statement.span))
            if not drafts:
                raise ParseError(
                    f'"{statement.keyword}" outside a check; expected "check" before it',
                    statement.span,
                    code="SV101",
                )
            statement.apply(drafts[-1])
    interval = host.probe_interval
    if interval is None and any(d.restart_limit for d in drafts):
        interval = cycle
        first = next(d for d in drafts if d.restart_limit)
        diagnostics.append(
            Diagnostic(
                code="SV802",
                severity=Severity.INFO,
                span=first.spans["start_limit"],
                message=f'no "set daemon" seen; a cycle is taken as {interval:g} seconds',
            )
        )
    services = tuple(_finish(draft, interval or cycle) for draft in drafts)
    for service in services:
        _check_complete(service)
    _check_dependencies(services, diagnostics)
    return Host(
        services=services,
        probe_interval=host.probe_interval,
        start_delay=host.start_delay,
        alerts=tuple(host.alerts),
        extras=tuple(host.extras),
        origin=Origin(
            span=Span(path=source.path, line=1, column=1), fields=tuple(sorted(host.spans.items()))
        ),
    )


def _keep_include(statement: _Include, draft: _Draft | None, host: _HostDraft) -> None:
    """Keep an include that was not read, so a monit file written later still has it."""
    extra = Extra(
        format=FORMAT,
        key="include",
        value=f'include "{statement.pattern}"',
        origin=Origin(span=statement.span),
    )
    if draft is None:
        host.extras.append(extra)
    else:
        draft.fields.setdefault("extras", []).append(extra)


def _open_draft(check: _Check, drafts: list[_Draft]) -> _Draft:
    for other in drafts:
        if other.fields["name"] == check.name:
            raise ParseError(
                f"service name conflict, {check.name!r} already defined at {other.span}",
                check.spans["name"],
                code="SV107",
            )
    fields: dict[str, Any] = {"name": check.name, "kind": check.kind, **check.header}
    if check.kind is ServiceKind.PROCESS:
        fields["daemonizes"] = True  # monit waits for start programs to return
        fields["restart"] = RestartPolicy(when=RestartWhen.ALWAYS, origin=Origin(span=check.span))
    return _Draft(fields=fields, spans={**check.spans, "restart": check.span}, span=check.span)


def _fragment_draft(span: Span) -> _Draft:
    return _Draft(fields={"name": "", "kind": ServiceKind.FILE}, spans={}, span=span)


def _finish(draft: _Draft, cycle_seconds: float) -> Service:
    """Freeze a draft into a Service, turning cycle counts into seconds."""
    fields = dict(draft.fields)
    program_timeout = fields.pop("program_timeout", None)
    if program_timeout is not None:
        fields.setdefault("extras", []).append(
            Extra(
                format=FORMAT,
                key="program timeout",
                value=f"{program_timeout:g}",
                origin=Origin(span=draft.span),
            )
        )
    if draft.restart_limit:
        burst, cycles, action, span = draft.restart_limit
        fields["start_limit"] = StartLimit(
            burst=burst, interval=cycles * cycle_seconds, action=action, origin=Origin(span=span)
        )
    for key in ("dependencies", "groups", "health_checks", "alerts", "extras"):
        if key in fields:
            fields[key] = tuple(fields[key])
    fields["origin"] = Origin(span=draft.span, fields=tuple(sorted(draft.spans.items())))
    return Service(managed_by=FORMAT, **fields)


def _check_complete(service: Service) -> None:
    """Monit refuses a host check with no network test and a program check with no status."""
    probes = [check.probe for check in service.health_checks]
    if service.kind is ServiceKind.HOST and not any(isinstance(p, NetworkProbe) for p in probes):
        raise ParseError(
            f"'check host {service.name}' is incomplete: add a port, url or icmp test",
            service.origin.of("name"),
            code="SV101",
        )
    if service.kind is ServiceKind.PROGRAM and not any(
        isinstance(p, AttributeProbe) and p.attribute in ("status", "content") for p in probes
    ):
        raise ParseError(
            f"'check program {service.name}' is incomplete: add a status or content test",
            service.origin.of("name"),
            code="SV101",
        )


def _check_dependencies(services: tuple[Service, ...], diagnostics: list[Diagnostic]) -> None:
    """Note dependencies on services this input does not define (monit -t refuses them)."""
    names = {service.name for service in services}
    _refuse_loops(services)
    for service in services:
        for dependency in service.dependencies:
            if dependency.name not in names:
                diagnostics.append(
                    Diagnostic(
                        code="SV803",
                        severity=Severity.WARNING,
                        span=dependency.origin.span
                        or service.origin.span
                        or Span(path="<monit>", line=1, column=1),
                        message=f"{service.name!r} depends on {dependency.name!r}, which no "
                        "check in this input defines",
                    )
                )


def _refuse_loops(services: tuple[Service, ...]) -> None:
    """Refuse a service that depends on itself, directly or not, as monit does."""
    needs = {s.name: [d.name for d in s.dependencies] for s in services}
    for service in services:
        seen: set[str] = set()
        pending = list(needs[service.name])
        while pending:
            name = pending.pop()
            if name == service.name:
                raise ParseError(
                    f"dependency loop involving {service.name!r}",
                    service.origin.of("name"),
                    code="SV303",  # lint's deps.cycle
                )
            if name not in seen:
                seen.add(name)
                pending.extend(needs.get(name, ()))
