"""SV303 deps.cycle: services ordered after each other in a circle."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from translator.diagnostics import Severity
from translator.lint.registry import Finding, rule
from translator.lint.rules._common import UNIT_SUFFIXES, extra, of_format, source_path
from translator.model import Host, Service, Span

_Graph = dict[str, dict[str, Span]]
"""Each service, the services it starts after, and where that order is written."""


@rule(
    code="SV303",
    name="deps.cycle",
    severity=Severity.ERROR,
    formats=("monit", "systemd", "initd"),
)
def find_dependency_cycles(host: Host) -> Iterator[Finding]:
    """What it does: flags services of one supervisor that each start after the next.

    systemd units order by ``After=`` and ``Before=``; init scripts by
    ``Required-Start:``, ``Should-Start:`` and ``X-Start-Before:``, through the names
    their ``Provides:`` give. Each set of services caught in cycles is reported once, at
    its first member by name, with the shortest cycle through it written out in order.
    A unit or script ordered after itself is not a cycle (systemd drops that order).
    monit's ``depends on`` loops, itself included, are reported by the monit reader,
    which stops there as ``monit -t`` does.

    Why it matters: systemd breaks an ordering cycle at boot by dropping the start of
    one unit it picks ("Job … deleted to break ordering cycle"), so a different service
    is missing from one boot to the next; insserv refuses to enable a script in a loop,
    and monit refuses the whole control file.

    Example:
        ```monit monitrc
        check process web with pidfile /run/web.pid
          depends on database
        check process database with pidfile /run/db.pid
          depends on web
        ```

    Use instead:
        ```monit monitrc
        check process web with pidfile /run/web.pid
          depends on database
        check process database with pidfile /run/db.pid
        ```

    Fix: none; decide which of the services really needs the other, and drop the
    ordering the other way.
    """
    graphs = (
        (_systemd_graph(host), "systemd drops one of their starts at boot"),
        (_initd_graph(host), "insserv refuses to order them"),
    )
    for graph, outcome in graphs:
        for cycle in _cycles(graph):
            steps = list(zip(cycle, [*cycle[1:], cycle[0]], strict=True))
            yield Finding(
                span=graph[steps[0][0]][steps[0][1]],
                service=cycle[0],
                message=f"ordering cycle {' → '.join([*cycle, cycle[0]])}: {outcome}",
                related=tuple(graph[a][b] for a, b in steps[1:]),
            )


def _systemd_graph(host: Host) -> _Graph:
    services = of_format(host, "systemd")
    names = {service.name: service.name for service in services}
    for service in services:
        aliases = extra(service, "Install.Alias")
        for alias in aliases.value.split() if aliases else ():
            names[alias.removesuffix(".service")] = service.name
    graph: _Graph = {service.name: {} for service in services}
    for service in services:
        for dependency in service.dependencies:
            after = names.get(dependency.name)
            if dependency.is_ordered and after and dependency.origin.span:
                _order(graph, service.name, after, dependency.origin.span)
        _add_before(graph, names, service, "Unit.Before")
    return graph


def _add_before(graph: _Graph, names: dict[str, str], service: Service, key: str) -> None:
    """Add the orders ``Before=`` (or ``X-Start-Before:``) gives: the others start after."""
    before = extra(service, key)
    if before is None or before.origin.span is None:
        return
    for word in before.value.split():
        other = names.get(word.removesuffix(".service"))
        if other is not None:
            _order(graph, other, service.name, before.origin.span)


def _initd_graph(host: Host) -> _Graph:
    scripts: dict[str, Service] = {}
    for service in of_format(host, "initd"):
        scripts.setdefault(source_path(service), service)  # its first service: the script's
    names = {service.name: service.name for service in scripts.values()}
    for service in scripts.values():
        provides = extra(service, "provides")
        names |= dict.fromkeys(provides.value.split() if provides else (), service.name)
    graph: _Graph = {service.name: {} for service in scripts.values()}
    for service in scripts.values():
        for dependency in service.dependencies:
            after = names.get(dependency.name)
            if after and dependency.origin.span and not dependency.name.endswith(UNIT_SUFFIXES):
                _order(graph, service.name, after, dependency.origin.span)
        _add_before(graph, names, service, "x-start-before")
    return graph


def _order(graph: _Graph, later: str, earlier: str, span: Span) -> None:
    """Say that ``later`` starts after ``earlier`` (the first place that says so wins)."""
    if later != earlier:
        graph[later].setdefault(earlier, span)


def _cycles(graph: _Graph) -> Iterator[list[str]]:
    """Give the shortest cycle through the first member of each set of services in cycles."""
    reach = {name: _reachable(graph, name) for name in graph}
    done: set[str] = set()
    for name in sorted(graph):
        if name in done or name not in reach[name]:
            continue
        members = {other for other in reach[name] if name in reach[other]}
        done |= members
        yield _shortest_cycle(graph, name, members)


def _reachable(graph: _Graph, start: str) -> set[str]:
    """Give what ``start`` reaches by one step or more."""
    seen: set[str] = set()
    pending = list(graph[start])
    while pending:
        name = pending.pop()
        if name not in seen:
            seen.add(name)
            pending.extend(graph[name])
    return seen


def _shortest_cycle(graph: _Graph, start: str, members: set[str]) -> list[str]:
    parents: dict[str, str] = {}
    queue = deque([start])
    while queue:
        name = queue.popleft()
        for after in sorted(graph[name]):
            if after == start:
                path = [name]
                while path[-1] != start:
                    path.append(parents[path[-1]])
                return path[::-1]
            if after in members and after not in parents:
                parents[after] = name
                queue.append(after)
    return [start]
