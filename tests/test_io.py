"""io.HostTree: a host's tree read in place, every path and link resolved inside ROOT."""

from __future__ import annotations

from pathlib import Path

import pytest

from translator.errors import SvconvError
from translator.io import HostTree


@pytest.fixture
def tree(tmp_path: Path) -> HostTree:
    root = tmp_path / "root"
    (root / "etc/rc.d/init.d").mkdir(parents=True)
    (root / "etc/rc.d/init.d/web").write_text("#!/bin/sh\n")
    (root / "etc/init.d").symlink_to("rc.d/init.d")  # relative, as CentOS has it
    (root / "etc/rc3.d").mkdir()
    (root / "etc/rc3.d/S85web").symlink_to("/etc/rc.d/init.d/web")  # absolute: inside ROOT
    (root / "etc/escape").symlink_to("../../../../outside")  # climbs: stops at ROOT
    (root / "etc/loop").symlink_to("loop")
    (tmp_path / "outside").write_text("the machine svconv runs on\n")
    (root / "outside").write_text("the tree's own\n")
    return HostTree(root)


def test_links_resolve_inside_the_tree(tree: HostTree) -> None:
    assert tree.real("/etc/init.d/web") == "/etc/rc.d/init.d/web"
    assert tree.real("/etc/rc3.d/S85web") == "/etc/rc.d/init.d/web"
    assert tree.real("/etc/escape") == "/outside"
    assert tree.read("/etc/escape").text == "the tree's own\n"
    assert tree.real("/etc/loop") is None


def test_sources_carry_host_paths(tree: HostTree) -> None:
    assert tree.read("/etc/init.d/web").path == "/etc/init.d/web"
    assert tree.glob("/etc/init.d/*") == ["/etc/init.d/web"]
    assert tree.link("/etc/rc3.d/S85web") == "/etc/rc.d/init.d/web"


def test_a_missing_file_is_an_error_not_a_traceback(tree: HostTree) -> None:
    with pytest.raises(SvconvError, match="no such file in the host tree"):
        tree.read("/etc/missing")
