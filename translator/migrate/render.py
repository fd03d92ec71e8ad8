"""The files of OUT: the plan for systemctl, the apply script, and the two reports.

Everything is sorted and free of timestamps and local paths, so two runs give the same
bytes.
Imports: model, diagnostics, migrate.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter

from translator.migrate.plan import SCRIPT_DIRECTORY, Item, Plan, Risk, Target

SCHEMA_ID = "https://svconv.example/schemas/migrate-report-1.json"


def outputs(plan: Plan, root_name: str) -> dict[str, str]:
    """Give every file of OUT (path under OUT → text)."""
    files = dict(plan.units)
    for path, (_, after) in plan.changed.items():
        files[f"files{path}"] = after
    files["changes.diff"] = changes_diff(plan)
    files["enable-plan.txt"] = "\n".join(plan.enable_lines()) + "\n"
    files["apply.sh"] = apply_script(plan)
    files["report.json"] = json.dumps(report_data(plan, root_name), indent=2) + "\n"
    files["report.md"] = report_markdown(plan, root_name)
    return files


def changes_diff(plan: Plan) -> str:
    """One unified diff of every changed file against ROOT."""
    return "".join(
        "".join(
            difflib.unified_diff(
                before.splitlines(keepends=True),
                after.splitlines(keepends=True),
                fromfile=f"a{path}",
                tofile=f"b{path}",
            )
        )
        for path, (before, after) in sorted(plan.changed.items())
    )


def report_data(plan: Plan, root_name: str) -> dict[str, object]:
    """Build the report for tools (``report.json``, schema ``report.schema.json``)."""
    risks = Counter(item.risk.value for item in plan.items)
    kinds = Counter(item.kind for item in plan.items)
    return {
        "$schema": SCHEMA_ID,
        "root": root_name,
        "default_target": plan.default_target,
        "totals": {
            "services": len(plan.items),
            "by_kind": dict(sorted(kinds.items())),
            "by_risk": {risk.value: risks.get(risk.value, 0) for risk in Risk},
            "units": sum(1 for item in plan.items if item.target is Target.UNIT),
            "high_confidence": sum(1 for item in plan.items if item.confidence == "high"),
        },
        "services": [_item_data(item) for item in _ordered(plan.items)],
        "host_findings": [note.text for note in plan.host_findings],
        "changed_files": sorted(plan.changed),
    }


def _item_data(item: Item) -> dict[str, object]:
    return {
        "name": item.name,
        "kind": item.kind,
        "found_at": item.where,
        "supervisors": list(item.supervisors),
        "runlevels": item.runlevels,
        "target": item.target.value,
        "unit": item.unit,
        "enabled": item.enabled,
        "confidence": item.confidence,
        "risk": item.risk.value,
        "problems": list(item.problems),
        "reviews": list(item.reviews),
        "losses": [{"text": n.text, "severity": n.severity.value} for n in item.losses],
        "findings": [{"text": n.text, "severity": n.severity.value} for n in item.findings],
    }


def _ordered(items: list[Item]) -> list[Item]:
    order = list(Risk)
    return sorted(items, key=lambda i: (-order.index(i.risk), i.name, i.kind))


def report_markdown(plan: Plan, root_name: str) -> str:
    """Write the report for people (``report.md``): totals first, then each service."""
    data = report_data(plan, root_name)
    totals = data["totals"]
    assert isinstance(totals, dict)
    lines = [
        f"# Migration of {root_name} to systemd",
        "",
        f"{totals['services']} services; {totals['units']} become units; default target "
        f"`{plan.default_target}`.",
        "",
        "| risk | services |",
        "| --- | --- |",
        *(f"| {risk} | {count} |" for risk, count in totals["by_risk"].items()),
        "",
        "| found as | services |",
        "| --- | --- |",
        *(f"| {kind} | {count} |" for kind, count in totals["by_kind"].items()),
        "",
    ]
    if plan.host_findings:
        lines += ["## Host", "", *(f"- `{n.text}`" for n in plan.host_findings), ""]
    for item in _ordered(plan.items):
        lines += _item_markdown(item)
    return "\n".join(lines)


def _item_markdown(item: Item) -> list[str]:
    target = f"{item.target.value}" + (f" `{item.unit}`" if item.unit else "")
    lines = [
        f"## {item.name} ({item.kind}): {item.risk.value} risk",
        "",
        f"- found at `{item.where}`; supervisors: {', '.join(item.supervisors) or 'none'}; "
        f"runlevels: {item.runlevels or 'none'}",
        f"- target: {target}, {'enabled' if item.enabled else 'not enabled'}; "
        f"confidence: {item.confidence}",
    ]
    lines += [f"- **problem:** {problem}" for problem in item.problems]
    lines += [f"- review: {review}" for review in item.reviews]
    lines += [f"- loss: `{note.text}`" for note in item.losses]
    lines += [f"- lint: `{note.text}`" for note in item.findings]
    return [*lines, ""]


_APPLY_HEAD = r"""#!/bin/sh
# Generated by svconv migrate: install the units and changed files of this directory,
# back up what they replace under /var/lib/svconv/backup, then enable as planned.
#   sh apply.sh [--dry-run] [--root DIR]
set -eu

DRY_RUN=0
ROOT=""
while [ $# -gt 0 ]; do
    case "$1" in
        --dry-run) DRY_RUN=1 ;;
        --root) ROOT="${2:?--root needs a directory}"; shift ;;
        --root=*) ROOT="${1#--root=}" ;;
        -h|--help) echo "usage: sh apply.sh [--dry-run] [--root DIR]"; exit 0 ;;
        *) echo "apply.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
HERE=$(cd "$(dirname "$0")" && pwd)
BACKUP="$ROOT/var/lib/svconv/backup"
CHANGED=0

# The unit replaces the init script of the same name: systemctl must not copy its state
# back into the script's rc links (Debian calls update-rc.d, RHEL chkconfig).
SYSTEMCTL_SKIP_SYSV=1
export SYSTEMCTL_SKIP_SYSV

systemctl_() {
    if [ -n "$ROOT" ]; then
        systemctl --root="$ROOT" "$@"
    else
        systemctl "$@"
    fi
}

install_file() {
    source="$HERE/$1"
    target="$ROOT$2"
    mode="${3:-0644}"
    if [ -f "$target" ] && cmp -s "$source" "$target"; then
        return 0
    fi
    CHANGED=1
    if [ "$DRY_RUN" = 1 ]; then
        echo "would install $2"
        return 0
    fi
    if [ -f "$target" ]; then
        mkdir -p "$(dirname "$BACKUP$2")"
        cp -p "$target" "$BACKUP$2"
    fi
    mkdir -p "$(dirname "$target")"
    cp "$source" "$target.svconv-new"
    chmod "$mode" "$target.svconv-new"
    mv "$target.svconv-new" "$target"
    echo "installed $2"
}

set_state() {
    state=$(systemctl_ is-enabled "$2" 2>/dev/null || true)
    wanted=enabled
    [ "$1" = enable ] || wanted=disabled
    if [ "$state" = "$wanted" ]; then
        return 0
    fi
    if [ "$1" = disable ] && [ -z "$state" ]; then
        return 0
    fi
    CHANGED=1
    if [ "$DRY_RUN" = 1 ]; then
        echo "would run: systemctl $1 $2"
    else
        systemctl_ "$1" "$2"
    fi
}

set_default() {
    if [ "$(systemctl_ get-default 2>/dev/null || true)" = "$1" ]; then
        return 0
    fi
    CHANGED=1
    if [ "$DRY_RUN" = 1 ]; then
        echo "would run: systemctl set-default $1"
    else
        systemctl_ set-default "$1"
    fi
}
"""

_RELOAD = r"""
if [ "$CHANGED" = 1 ] && [ -z "$ROOT" ]; then
    if [ "$DRY_RUN" = 1 ]; then
        echo "would run: systemctl daemon-reload"
    else
        systemctl daemon-reload
    fi
fi
"""

_APPLY_TAIL = r"""
if [ "$CHANGED" = 0 ]; then
    echo "nothing to change: the host is already as planned"
fi
"""


def apply_script(plan: Plan) -> str:
    """Write the POSIX sh script that applies the plan (``--dry-run``, ``--root DIR``)."""
    lines = [_APPLY_HEAD.rstrip("\n"), ""]
    for path in sorted(plan.units):
        mode = " 0755" if path.startswith(SCRIPT_DIRECTORY) else ""
        lines.append(f"install_file {_quote(path)} {_quote('/' + path)}{mode}")
    for path in sorted(plan.changed):
        lines.append(f"install_file {_quote('files' + path)} {_quote(path)}")
    lines.append(_RELOAD.strip("\n"))  # systemd reads the new units before the plan runs
    for line in plan.enable_lines():
        words = line.split()
        if words[1] == "set-default":
            lines.append(f"set_default {_quote(words[2])}")
        else:
            lines.append(f"set_state {words[1]} {_quote(words[2])}")
    return "\n".join(lines) + "\n" + _APPLY_TAIL


def _quote(word: str) -> str:
    safe = all(char.isalnum() or char in "@%+=:,./-_" for char in word)
    return word if safe and word else "'" + word.replace("'", "'\\''") + "'"
