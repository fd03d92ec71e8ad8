"""Machine-readable lint reports: exact output for three hand-built findings per format."""

from __future__ import annotations

import hashlib
import inspect
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import jsonschema
import pytest

from translator.diagnostics import Diagnostic, Edit, Fix, Severity
from translator.model import Span
from translator.report import checkstyle, github, gitlab, json_output, junit, sarif, text
from translator.report.rules import RuleInfo

SARIF_SCHEMA = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"

APP = "conf/app.conf"
MONITRC = "monitrc"
TEXTS = {
    APP: "[program:web]\ncommand=/usr/bin/web --daemon\nautorestart=true\n",
    MONITRC: (
        'check process db with pidfile /run/db.pid\n\tstart program = "/etc/init.d/db start"\n'
    ),
}
RULES = {
    "SV201": RuleInfo(
        code="SV201",
        name="lifecycle.daemonizing-foreground-supervisor",
        summary="A daemonizing command under a supervisor that expects the foreground",
        severity=Severity.ERROR,
        help="What it does: flags --daemon under supervisord.",
    ),
    "SV205": RuleInfo(
        code="SV205",
        name="lifecycle.restart-unbounded",
        summary="Restarts with no rate limit",
        severity=Severity.WARNING,
        help="What it does: flags restarts with no rate limit.",
    ),
}  # SV301 is left out: a code no rule describes must still render

DAEMON = Diagnostic(
    code="SV201",
    message="web daemonizes under a foreground supervisor",
    span=Span(path=APP, line=2, column=22, end_line=2, end_column=30),
    severity=Severity.ERROR,
    fix=Fix(
        description="drop --daemon",
        edits=(Edit(span=Span(path=APP, line=2, column=21, end_line=2, end_column=30), text=""),),
    ),
    service="web",
)
RESTART = Diagnostic(
    code="SV205",
    message="restart 100%, then: give up\nafter 3 tries",
    span=Span(path=MONITRC, line=1, column=1, end_line=1, end_column=14),
    severity=Severity.WARNING,
    related=(Span(path=APP, line=3, column=1, end_line=3, end_column=17),),
    service="db",
)
INIT_SCRIPT = Diagnostic(
    code="SV301",
    message="start program runs an init script",
    span=Span(path=MONITRC, line=2, column=2),
    severity=Severity.INFO,
)
# Deliberately out of order: every report sorts, and fingerprints follow input positions.
DIAGNOSTICS = [RESTART, INIT_SCRIPT, DAEMON]
FINGERPRINTS = {0: "5e5e5e5e5e5e5e5e", 1: "1a1a1a1a1a1a1a1a", 2: "dada0000dada0000"}


def rendered(
    module: ModuleType,
    diagnostics: Sequence[Diagnostic] = DIAGNOSTICS,
    fingerprints: Mapping[int, str] | None = FINGERPRINTS,
) -> str:
    stream = io.StringIO()
    module.render(diagnostics, stream, rules=RULES, texts=TEXTS, fingerprints=fingerprints)
    return stream.getvalue()


def fallback_fingerprint(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:16]


RENDERERS = [checkstyle, github, gitlab, json_output, junit, sarif]


@pytest.mark.parametrize("module", RENDERERS, ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_every_renderer_has_the_same_signature(module: ModuleType) -> None:
    parameters = inspect.signature(module.render).parameters
    assert [(p.name, p.kind.name) for p in parameters.values()] == [
        ("diagnostics", "POSITIONAL_OR_KEYWORD"),
        ("stream", "POSITIONAL_OR_KEYWORD"),
        ("rules", "KEYWORD_ONLY"),
        ("texts", "KEYWORD_ONLY"),
        ("fingerprints", "KEYWORD_ONLY"),
    ]
    assert parameters["fingerprints"].default is None


EMPTY_CASES = [
    (json_output, "[]\n"),
    (gitlab, "[]\n"),
    (github, ""),
    (checkstyle, "<?xml version='1.0' encoding='utf-8'?>\n<checkstyle version=\"4.3\" />\n"),
    (
        junit,
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<testsuite name="svconv lint" tests="1" failures="0" errors="0">\n'
        '  <testcase classname="svconv lint" name="svconv lint" />\n'
        "</testsuite>\n",
    ),
]


@pytest.mark.parametrize(
    ("module", "expected"),
    EMPTY_CASES,
    ids=[module.__name__.rsplit(".", 1)[1] for module, _ in EMPTY_CASES],
)
def test_no_findings(module: ModuleType, expected: str) -> None:
    assert rendered(module, []) == expected


@pytest.mark.parametrize("module", RENDERERS, ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_output_does_not_depend_on_input_order(module: ModuleType) -> None:
    reversed_fingerprints = {2 - index: value for index, value in FINGERPRINTS.items()}
    assert rendered(module) == rendered(module, DIAGNOSTICS[::-1], reversed_fingerprints)


def test_json() -> None:
    assert json.loads(rendered(json_output)) == [
        {
            "code": "SV201",
            "name": "lifecycle.daemonizing-foreground-supervisor",
            "severity": "error",
            "message": "web daemonizes under a foreground supervisor",
            "path": APP,
            "line": 2,
            "column": 22,
            "end_line": 2,
            "end_column": 30,
            "service": "web",
            "related": [],
            "fix": {
                "description": "drop --daemon",
                "safe": True,
                "edits": [
                    {
                        "path": APP,
                        "line": 2,
                        "column": 21,
                        "end_line": 2,
                        "end_column": 30,
                        "text": "",
                    }
                ],
            },
            "fingerprint": "dada0000dada0000",
        },
        {
            "code": "SV205",
            "name": "lifecycle.restart-unbounded",
            "severity": "warning",
            "message": "restart 100%, then: give up\nafter 3 tries",
            "path": MONITRC,
            "line": 1,
            "column": 1,
            "end_line": 1,
            "end_column": 14,
            "service": "db",
            "related": [{"path": APP, "line": 3, "column": 1, "end_line": 3, "end_column": 17}],
            "fix": None,
            "fingerprint": "5e5e5e5e5e5e5e5e",
        },
        {
            "code": "SV301",
            "name": "SV301",
            "severity": "info",
            "message": "start program runs an init script",
            "path": MONITRC,
            "line": 2,
            "column": 2,
            "end_line": 0,
            "end_column": 0,
            "service": None,
            "related": [],
            "fix": None,
            "fingerprint": "1a1a1a1a1a1a1a1a",
        },
    ]


def test_fingerprints_default_to_a_hash_of_code_path_and_stripped_line() -> None:
    findings = json.loads(rendered(json_output, fingerprints=None))
    assert [f["fingerprint"] for f in findings] == [
        fallback_fingerprint(b"SV201\0conf/app.conf\0command=/usr/bin/web --daemon"),
        fallback_fingerprint(b"SV205\0monitrc\0check process db with pidfile /run/db.pid"),
        fallback_fingerprint(b'SV301\0monitrc\0start program = "/etc/init.d/db start"'),
    ]


ODD_PATH = Diagnostic(
    code="SV205",
    message="a: b, c",
    span=Span(path="odd,dir/a:b%.conf", line=7, column=3, end_column=9),
)
GITHUB_CASES = [
    (
        "three-findings",
        DIAGNOSTICS,
        [
            "::error file=conf/app.conf,line=2,col=22,endLine=2,endColumn=30,"
            "title=SV201 lifecycle.daemonizing-foreground-supervisor"
            "::web daemonizes under a foreground supervisor",
            "::warning file=monitrc,line=1,col=1,endLine=1,endColumn=14,"
            "title=SV205 lifecycle.restart-unbounded"
            "::restart 100%25, then: give up%0Aafter 3 tries",
            "::notice file=monitrc,line=2,col=2,title=SV301::start program runs an init script",
        ],
    ),
    (
        "property-escapes",
        [ODD_PATH],
        [
            "::warning file=odd%2Cdir/a%3Ab%25.conf,line=7,col=3,endLine=7,endColumn=9,"
            "title=SV205 lifecycle.restart-unbounded::a: b, c"
        ],
    ),
]


@pytest.mark.parametrize(
    ("diagnostics", "expected"), [c[1:] for c in GITHUB_CASES], ids=[c[0] for c in GITHUB_CASES]
)
def test_github(diagnostics: list[Diagnostic], expected: list[str]) -> None:
    assert rendered(github, diagnostics, fingerprints=None).splitlines() == expected


def test_checkstyle() -> None:
    output = rendered(checkstyle)
    assert output.startswith("<?xml version='1.0' encoding='utf-8'?>\n")
    root = ET.fromstring(output)
    assert (root.tag, root.attrib) == ("checkstyle", {"version": "4.3"})
    assert [(file.tag, file.attrib, [(e.tag, e.attrib) for e in file]) for file in root] == [
        (
            "file",
            {"name": APP},
            [
                (
                    "error",
                    {
                        "line": "2",
                        "column": "22",
                        "severity": "error",
                        "message": "web daemonizes under a foreground supervisor",
                        "source": "svconv.SV201",
                    },
                )
            ],
        ),
        (
            "file",
            {"name": MONITRC},
            [
                (
                    "error",
                    {
                        "line": "1",
                        "column": "1",
                        "severity": "warning",
                        "message": "restart 100%, then: give up\nafter 3 tries",
                        "source": "svconv.SV205",
                    },
                ),
                (
                    "error",
                    {
                        "line": "2",
                        "column": "2",
                        "severity": "info",
                        "message": "start program runs an init script",
                        "source": "svconv.SV301",
                    },
                ),
            ],
        ),
    ]


def test_junit() -> None:
    output = rendered(junit)
    assert output.startswith("<?xml version='1.0' encoding='utf-8'?>\n")
    suite = ET.fromstring(output)
    assert (suite.tag, suite.attrib) == (
        "testsuite",
        {"name": "svconv lint", "tests": "3", "failures": "3", "errors": "0"},
    )
    cases = [(case.attrib, [(f.tag, f.attrib, f.text) for f in case]) for case in suite]
    assert cases == [
        (
            {"classname": APP, "name": "SV201 2:22"},
            [
                (
                    "failure",
                    {"type": "SV201", "message": "web daemonizes under a foreground supervisor"},
                    "conf/app.conf:2:22: ERROR SV201 web daemonizes under a foreground supervisor",
                )
            ],
        ),
        (
            {"classname": MONITRC, "name": "SV205 1:1"},
            [
                (
                    "failure",
                    {"type": "SV205", "message": "restart 100%, then: give up\nafter 3 tries"},
                    "monitrc:1:1: WARNING SV205 restart 100%, then: give up\nafter 3 tries",
                )
            ],
        ),
        (
            {"classname": MONITRC, "name": "SV301 2:2"},
            [
                (
                    "failure",
                    {"type": "SV301", "message": "start program runs an init script"},
                    "monitrc:2:2: INFO SV301 start program runs an init script",
                )
            ],
        ),
    ]


def test_gitlab() -> None:
    assert json.loads(rendered(gitlab)) == [
        {
            "description": "SV201 web daemonizes under a foreground supervisor",
            "check_name": "SV201",
            "fingerprint": "dada0000dada0000",
            "severity": "major",
            "location": {"path": APP, "lines": {"begin": 2}},
        },
        {
            "description": "SV205 restart 100%, then: give up\nafter 3 tries",
            "check_name": "SV205",
            "fingerprint": "5e5e5e5e5e5e5e5e",
            "severity": "minor",
            "location": {"path": MONITRC, "lines": {"begin": 1}},
        },
        {
            "description": "SV301 start program runs an init script",
            "check_name": "SV301",
            "fingerprint": "1a1a1a1a1a1a1a1a",
            "severity": "info",
            "location": {"path": MONITRC, "lines": {"begin": 2}},
        },
    ]


def test_gitlab_fingerprints_are_unique_hex() -> None:
    twice = [DAEMON, DAEMON, RESTART]
    given = {0: "abc", 1: "abc", 2: "not hex"}
    fingerprints = [issue["fingerprint"] for issue in json.loads(rendered(gitlab, twice, given))]
    assert fingerprints == [
        "abc",
        fallback_fingerprint(b"abc\x001"),
        fallback_fingerprint(b"not hex\x001"),
    ]


@pytest.fixture(scope="module")
def sarif_schema() -> dict[str, object]:
    schema: dict[str, object] = json.loads(SARIF_SCHEMA.read_text())
    return schema


def test_sarif_is_valid_and_exact(sarif_schema: dict[str, object]) -> None:
    log = json.loads(rendered(sarif))
    jsonschema.validate(log, sarif_schema, cls=jsonschema.Draft4Validator)
    app = {"uri": APP, "uriBaseId": "%SRCROOT%"}
    monitrc = {"uri": MONITRC, "uriBaseId": "%SRCROOT%"}
    assert log == {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "svconv",
                        "informationUri": "https://github.com/svconv/svconv",
                        "rules": [
                            {
                                "id": "SV201",
                                "name": "lifecycle.daemonizing-foreground-supervisor",
                                "shortDescription": {
                                    "text": "A daemonizing command under a supervisor that "
                                    "expects the foreground"
                                },
                                "fullDescription": {
                                    "text": "What it does: flags --daemon under supervisord."
                                },
                                "help": {"text": "What it does: flags --daemon under supervisord."},
                                "defaultConfiguration": {"level": "error"},
                            },
                            {
                                "id": "SV205",
                                "name": "lifecycle.restart-unbounded",
                                "shortDescription": {"text": "Restarts with no rate limit"},
                                "fullDescription": {
                                    "text": "What it does: flags restarts with no rate limit."
                                },
                                "help": {
                                    "text": "What it does: flags restarts with no rate limit."
                                },
                                "defaultConfiguration": {"level": "warning"},
                            },
                            {
                                "id": "SV301",
                                "name": "SV301",
                                "shortDescription": {"text": "SV301"},
                                "defaultConfiguration": {"level": "note"},
                            },
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [
                    {
                        "ruleId": "SV201",
                        "ruleIndex": 0,
                        "level": "error",
                        "message": {"text": "web daemonizes under a foreground supervisor"},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": app,
                                    "region": {
                                        "startLine": 2,
                                        "startColumn": 22,
                                        "endLine": 2,
                                        "endColumn": 30,
                                    },
                                }
                            }
                        ],
                        "partialFingerprints": {"svconv/v1": "dada0000dada0000"},
                        "fixes": [
                            {
                                "description": {"text": "drop --daemon"},
                                "artifactChanges": [
                                    {
                                        "artifactLocation": app,
                                        "replacements": [
                                            {
                                                "deletedRegion": {
                                                    "startLine": 2,
                                                    "startColumn": 21,
                                                    "endLine": 2,
                                                    "endColumn": 30,
                                                },
                                                "insertedContent": {"text": ""},
                                            }
                                        ],
                                    }
                                ],
                                "properties": {"safe": True},
                            }
                        ],
                    },
                    {
                        "ruleId": "SV205",
                        "ruleIndex": 1,
                        "level": "warning",
                        "message": {"text": "restart 100%, then: give up\nafter 3 tries"},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": monitrc,
                                    "region": {
                                        "startLine": 1,
                                        "startColumn": 1,
                                        "endLine": 1,
                                        "endColumn": 14,
                                    },
                                }
                            }
                        ],
                        "relatedLocations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": app,
                                    "region": {
                                        "startLine": 3,
                                        "startColumn": 1,
                                        "endLine": 3,
                                        "endColumn": 17,
                                    },
                                }
                            }
                        ],
                        "partialFingerprints": {"svconv/v1": "5e5e5e5e5e5e5e5e"},
                    },
                    {
                        "ruleId": "SV301",
                        "ruleIndex": 2,
                        "level": "note",
                        "message": {"text": "start program runs an init script"},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": monitrc,
                                    "region": {"startLine": 2, "startColumn": 2},
                                }
                            }
                        ],
                        "partialFingerprints": {"svconv/v1": "1a1a1a1a1a1a1a1a"},
                    },
                ],
            }
        ],
    }


def test_sarif_without_findings_is_valid(sarif_schema: dict[str, object]) -> None:
    log = json.loads(rendered(sarif, []))
    jsonschema.validate(log, sarif_schema, cls=jsonschema.Draft4Validator)
    assert log["runs"][0]["tool"]["driver"]["rules"] == []
    assert log["runs"][0]["results"] == []


ARTIFACT_CASES = [
    ("relative", "conf/app.conf", {"uri": "conf/app.conf", "uriBaseId": "%SRCROOT%"}),
    ("backslashes", "conf\\app.conf", {"uri": "conf/app.conf", "uriBaseId": "%SRCROOT%"}),
    ("space", "my conf/a.conf", {"uri": "my%20conf/a.conf", "uriBaseId": "%SRCROOT%"}),
    ("absolute", "/etc/monitrc", {"uri": "file:///etc/monitrc"}),
]


@pytest.mark.parametrize(
    ("path", "expected"), [c[1:] for c in ARTIFACT_CASES], ids=[c[0] for c in ARTIFACT_CASES]
)
def test_sarif_artifact_location(
    path: str, expected: dict[str, str], sarif_schema: dict[str, object]
) -> None:
    diagnostic = Diagnostic(code="SV205", message="m", span=Span(path=path, line=1, column=1))
    log = json.loads(rendered(sarif, [diagnostic]))
    jsonschema.validate(log, sarif_schema, cls=jsonschema.Draft4Validator)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == expected


@dataclass(frozen=True)
class TextCase:
    id: str
    diagnostics: list[Diagnostic]
    snippets: bool
    expected: str


TEXT_CASES = [
    TextCase(
        id="plain",
        diagnostics=DIAGNOSTICS,
        snippets=False,
        expected=(
            "conf/app.conf:2:22: ERROR SV201 web daemonizes under a foreground supervisor\n"
            "monitrc:1:1: WARNING SV205 restart 100%, then: give up\nafter 3 tries\n"
            "monitrc:2:2: INFO SV301 start program runs an init script\n"
        ),
    ),
    TextCase(
        id="snippets",
        diagnostics=DIAGNOSTICS,
        snippets=True,
        expected=(
            "conf/app.conf:2:22: ERROR SV201 web daemonizes under a foreground supervisor\n"
            "    command=/usr/bin/web --daemon\n"
            "                         ^^^^^^^^\n"
            "monitrc:1:1: WARNING SV205 restart 100%, then: give up\nafter 3 tries\n"
            "    check process db with pidfile /run/db.pid\n"
            "    ^^^^^^^^^^^^^\n"
            "monitrc:2:2: INFO SV301 start program runs an init script\n"
            '    \tstart program = "/etc/init.d/db start"\n'
            "    \t^\n"
        ),
    ),
    TextCase(
        id="multi-line-span-and-unknown-file",
        diagnostics=[
            Diagnostic(
                code="SV205",
                message="spans two lines",
                span=Span(path=APP, line=1, column=2, end_line=2, end_column=5),
            ),
            Diagnostic(code="SV205", message="no text", span=Span(path="gone", line=1, column=1)),
            Diagnostic(code="SV205", message="past the end", span=Span(path=APP, line=9, column=1)),
        ],
        snippets=True,
        expected=(
            "conf/app.conf:1:2: WARNING SV205 spans two lines\n"
            "    [program:web]\n"
            "     ^\n"
            "conf/app.conf:9:1: WARNING SV205 past the end\n"
            "gone:1:1: WARNING SV205 no text\n"
        ),
    ),
]


@pytest.mark.parametrize("case", TEXT_CASES, ids=lambda c: c.id)
def test_text_findings(case: TextCase) -> None:
    stream = io.StringIO()
    text.render_findings(case.diagnostics, stream, rules=RULES, texts=TEXTS, snippets=case.snippets)
    assert stream.getvalue() == case.expected
