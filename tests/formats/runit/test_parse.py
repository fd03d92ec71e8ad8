"""Reading runit run scripts: the exec chain, the prelude, env/ and down."""

from __future__ import annotations

import pytest

from translator.errors import ParseError
from translator.formats.runit import detect, parse
from translator.model import Extra, Output, ResourceLimit, Source, Span


def _loader(files: dict[str, str]):
    def load(pattern: str, span: Span) -> list[Source]:
        env = [n for n in files if n.startswith("env/")]
        names = env if pattern == "env/*" else [pattern]
        return [Source(path=f"sv/web/{n}", text=files[n]) for n in names if n in files]

    return load


CASES = [
    (
        "plain",
        "#!/bin/sh\nexec /usr/bin/web -p 80\n",
        {},
        {"argv": ("/usr/bin/web", "-p", "80")},
    ),
    (
        "chpst-chain",
        "#!/bin/sh\nexec 2>&1\ncd /srv || exit 1\numask 077\n"
        "exec chpst -u www:adm -e /etc/sv/web/env -o 64 -n 5 /usr/bin/web 'a b'\n",
        {"env/B": "2\nignored\n", "env/A": "1  \n", "env/GONE": "", "down": ""},
        {
            "argv": ("/usr/bin/web", "a b"),
            "user": "www",
            "group": "adm",
            "working_directory": "/srv",
            "umask": "077",
            "stderr": Output(kind="inherit"),
            "environment": (("A", "1"), ("B", "2")),
            "limits": (ResourceLimit(resource="nofile", value="64"),),
            "extras": (Extra(format="runit", key="chpst -n", value="5"),),
            "enabled_at_boot": False,
        },
    ),
    (
        "setuidgid-envdir-softlimit",
        "#!/bin/sh\nexport X=1\nexec setuidgid nobody envdir ./env softlimit -o 9 web\n",
        {"env/Y": "2\n"},
        {
            "argv": ("web",),
            "user": "nobody",
            "environment": (("X", "1"), ("Y", "2")),
            "limits": (ResourceLimit(resource="nofile", value="9"),),
        },
    ),
    (
        "ulimit-read-as-limits",
        "#!/bin/sh\nulimit -n 512\nulimit -c 0\nulimit -c 100\nexec web\n",
        {},
        {
            "argv": ("web",),
            "limits": (
                ResourceLimit(resource="nofile", value="512"),
                ResourceLimit(resource="core", value="0"),
            ),
            "extras": (Extra(format="runit", key="run", value="ulimit -c 100"),),
        },
    ),
    (
        "control-t-sends-the-stop-signal",
        "#!/bin/sh\nexec web\n",
        {"control/t": '#!/bin/sh\n# stop with SIGINT\nexec kill -s INT "$(cat supervise/pid)"\n'},
        {"argv": ("web",), "stop_signal": "SIGINT"},
    ),
    (
        "control-t-of-its-own-is-kept",
        "#!/bin/sh\nexec web\n",
        {"control/t": "#!/bin/sh\nweb --graceful-stop\n"},
        {
            "argv": ("web",),
            "stop_signal": None,
            "extras": (
                Extra(format="runit", key="control/t", value="#!/bin/sh\nweb --graceful-stop\n"),
            ),
        },
    ),
    (
        "other-statements-kept",
        "#!/bin/sh\nsleep 1\nif true; then :; fi\nexec web\n",
        {},
        {
            "argv": ("web",),
            "extras": (
                Extra(format="runit", key="run", value="sleep 1"),
                Extra(format="runit", key="run", value="if true; then :; fi"),
            ),
        },
    ),
]


@pytest.mark.parametrize(("case", "text", "files", "expected"), CASES, ids=[c[0] for c in CASES])
def test_parse(case: str, text: str, files: dict[str, str], expected: dict[str, object]) -> None:
    result = parse(Source(path="sv/web/run", text=text), load_include=_loader(files))
    (service,) = result.host.services
    assert service.name == "web"
    assert service.start is not None
    found = {"argv": service.start.argv} | {
        key: getattr(service, key) for key in expected if key != "argv"
    }
    assert found == expected
    assert service.restart.is_automatic


def test_kept_statements_are_noted() -> None:
    result = parse(Source(path="sv/web/run", text="#!/bin/sh\nsleep 1\nexec web\n"))
    assert [(d.code, str(d.span), d.message) for d in result.diagnostics] == [
        ("SV730", "sv/web/run:2:1", "svconv does not read sleep")
    ]


def test_syntax_error_is_positioned() -> None:
    with pytest.raises(ParseError) as error:
        parse(Source(path="sv/web/run", text="#!/bin/sh\nif then\nexec web\n"))
    assert str(error.value.span).startswith("sv/web/run:2:")


@pytest.mark.parametrize(
    ("path", "text", "claimed"),
    [
        ("sv/web/run", "#!/bin/sh\n", True),
        ("sv/web/run", "exec x\n", False),
        ("sv/web/run", "#!/bin/sh\nexec s6-setuidgid www web\n", False),
        ("run.sh", "#!", False),
    ],
)
def test_detect(path: str, text: str, claimed: bool) -> None:
    assert detect(path, text) is claimed
