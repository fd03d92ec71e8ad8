"""Render UptimeRobot monitors: the v2 API's ``newMonitor`` parameters and Terraform.

Imports: formats/uptimerobot.
"""

from __future__ import annotations

import json

from translator.formats.uptimerobot.monitor import Monitor, MonitorType

CUSTOM_PORT = 99
"""``sub_type`` of a PORT monitor on a port of one's choosing (1-6 name fixed ones)."""
_KEYWORD_TYPES = {True: (2, "ALERT_NOT_EXISTS"), False: (1, "ALERT_EXISTS")}
"""Whether a missing keyword alerts → v2 ``keyword_type``, the provider's name for it."""
_PROVIDER_NOTES = (
    "For the uptimerobot/uptimerobot provider (its docs/resources/monitor.md):",
    "type is HTTP, KEYWORD, PING or PORT; interval and timeout are in seconds.",
    "No API key is written here: give var.uptimerobot_api_key (TF_VAR_uptimerobot_api_key).",
)
_PREAMBLE = """\
terraform {
  required_providers {
    uptimerobot = {
      source = "uptimerobot/uptimerobot"
    }
  }
}

variable "uptimerobot_api_key" {
  description = "UptimeRobot main API key"
  type        = string
  sensitive   = true
}

variable "uptimerobot_alert_contacts" {
  description = "Ids of the alert contacts every monitor notifies"
  type        = list(string)
  default     = []
}

provider "uptimerobot" {
  api_key = var.uptimerobot_api_key
}

locals {
  # threshold 0, recurrence 0: notify at once and once (the free plan's only choice)
  uptimerobot_alert_contacts = [
    for id in var.uptimerobot_alert_contacts : {
      alert_contact_id = id
      threshold        = 0
      recurrence       = 0
    }
  ]
}
"""


def monitors_json(monitors: list[Monitor]) -> str:
    """Render a JSON list of ``newMonitor`` parameter sets, one per monitor (no API key)."""
    return json.dumps([_parameters(m) for m in monitors], indent=2, ensure_ascii=False) + "\n"


def _parameters(monitor: Monitor) -> dict[str, object]:
    found = monitor.target
    parameters: dict[str, object] = {
        "friendly_name": monitor.name,
        "url": monitor.url,
        "type": int(found.type),
    }
    if found.type is MonitorType.PORT:
        parameters |= {"sub_type": CUSTOM_PORT, "port": found.port}
    if found.type is MonitorType.KEYWORD:
        parameters |= {
            "keyword_type": _KEYWORD_TYPES[found.alerts_when_missing][0],
            "keyword_value": found.keyword,
        }
    return parameters | {"interval": monitor.interval}


def terraform(monitors: list[Monitor], header: str) -> str:
    """Render a Terraform file for the official provider, as ``terraform fmt`` lays it out.

    The API key and the alert contacts are variables; each monitor is an
    ``uptimerobot_monitor``.
    """
    comments = [*header.splitlines(), *_PROVIDER_NOTES]
    blocks = [_PREAMBLE.rstrip("\n")]
    labels: list[str] = []
    for monitor in monitors:
        labels.append(_label(monitor.name, labels))
        blocks.append(_resource(labels[-1], monitor))
    return "".join(f"# {line}\n" for line in comments) + "\n" + "\n\n".join(blocks) + "\n"


def _resource(label: str, monitor: Monitor) -> str:
    found = monitor.target
    attributes: list[tuple[str, str]] = [
        ("name", _string(monitor.name)),
        ("type", _string(found.type.name)),
        ("url", _string(monitor.url)),
    ]
    if found.type is MonitorType.PORT:
        attributes.append(("port", str(found.port)))
    attributes += [("interval", str(monitor.interval)), ("timeout", str(monitor.timeout))]
    if found.type is MonitorType.KEYWORD:
        attributes += [
            ("keyword_type", _string(_KEYWORD_TYPES[found.alerts_when_missing][1])),
            ("keyword_value", _string(found.keyword or "")),
        ]
    attributes.append(("assigned_alert_contacts", "local.uptimerobot_alert_contacts"))
    width = max(len(name) for name, _ in attributes)
    body = "".join(f"  {name.ljust(width)} = {value}\n" for name, value in attributes)
    return f'resource "uptimerobot_monitor" {_string(label)} {{\n{body}}}'


def _label(name: str, taken: list[str]) -> str:
    """Make a unique resource name Terraform accepts (letters, digits, ``_``, ``-``)."""
    word = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "_-") else "_" for ch in name)
    word = word if word[:1].isalpha() or word[:1] == "_" else f"_{word}"
    label, number = word, 2
    while label in taken:
        label, number = f"{word}_{number}", number + 1
    return label


def _string(text: str) -> str:
    """Quote an HCL string literal: quotes, backslashes and template openers escaped."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("${", "$${")
        .replace("%{", "%%{")
    )
    return f'"{escaped}"'
