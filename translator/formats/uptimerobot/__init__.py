"""UptimeRobot monitors (emit only): ``uptimerobot-monitors.json`` and ``uptimerobot.tf``.

Imports: model, diagnostics, errors, loss, formats/_options, formats/_capabilities,
formats/uptimerobot.
"""

from translator.formats._capabilities import Support
from translator.formats.uptimerobot.emit import emit

ID = "uptimerobot"
EXECUTABLE: tuple[str, ...] = ()
"""No file it writes is run."""
CAPABILITIES: dict[str, Support] = {
    # http, https, a keyword on a page, a tcp port, a ping; others are reported
    "health_checks": Support.PARTIAL,
    # a watched host's address is the monitor's url
    "kind": Support.PARTIAL,
    "target": Support.PARTIAL,
    "extras": Support.PARTIAL,
}
"""What its files hold of the model; any other field is reported when set."""


def detect(path: str, text: str) -> bool:
    """Whether ``text`` is UptimeRobot's: never, as svconv only writes the format."""
    return False


__all__ = ["CAPABILITIES", "EXECUTABLE", "ID", "detect", "emit"]
