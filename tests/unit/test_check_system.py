"""tools/check_system.py: installs what WeasyPrint needs when it can, says the one command when it cannot.

apt-get and sudo are replaced by a fake that records each command and, like the
real apt-get, makes the packages present once it installs them.
"""

from __future__ import annotations

import importlib.util

import pytest

from tests.conftest import ROOT

_spec = importlib.util.spec_from_file_location("check_system", ROOT / "tools" / "check_system.py")
check_system = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_system)

INSTALL = ["apt-get", "install", "-y", "--no-install-recommends", "libharfbuzz-subset0", "fonts-dejavu-core"]
MANUAL = "run `sudo apt-get install libharfbuzz-subset0 fonts-dejavu-core`, then `make build` again."


class FakeSystem:
    """Installed packages plus an apt-get that fails while the package lists are missing."""

    def __init__(self, lists: bool = True, update_works: bool = True, install_works: bool = True):
        self.installed = {"libpango-1.0-0"}
        self.lists, self.update_works, self.install_works = lists, update_works, install_works
        self.commands: list[list[str]] = []
        self.checks = [(f"the {pkg} library", (lambda p=pkg: p in self.installed), pkg)
                       for pkg in ("libpango-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core")]

    def run(self, command) -> int:
        self.commands.append(list(command))
        apt = command[command.index("apt-get"):]
        if apt[1] == "update":
            self.lists = self.lists or self.update_works
            return 0 if self.update_works else 100
        if not (self.lists and self.install_works):
            return 100  # E: Unable to locate package
        self.installed.update(p for p in apt[2:] if not p.startswith("-"))
        return 0


def test_root_installs_with_apt_get(capsys):
    system = FakeSystem()
    assert check_system.main(system.checks, is_root=True, sudo_works=lambda: pytest.fail("asked sudo"),
                             run=system.run, has_apt=True) == 0
    assert system.commands == [INSTALL]
    out = capsys.readouterr().out
    assert "installing libharfbuzz-subset0 fonts-dejavu-core" in out
    assert "`apt-get install -y --no-install-recommends libharfbuzz-subset0 fonts-dejavu-core`" in out


def test_non_root_uses_sudo_without_password():
    system = FakeSystem()
    assert check_system.main(system.checks, is_root=False, sudo_works=lambda: True, run=system.run, has_apt=True) == 0
    assert system.commands == [["sudo", "-n", *INSTALL]]


def test_neither_root_nor_sudo_prints_the_one_command(capsys):
    system = FakeSystem()
    assert check_system.main(system.checks, is_root=False, sudo_works=lambda: False, run=system.run, has_apt=True) == 1
    assert system.commands == []
    assert capsys.readouterr().out == (
        "Missing the libharfbuzz-subset0 library, the fonts-dejavu-core library"
        f" (not root, and sudo cannot run apt-get without a password): {MANUAL}\n")


def test_without_apt_get_prints_the_one_command(capsys):
    system = FakeSystem()
    assert check_system.main(system.checks, is_root=True, run=system.run, has_apt=False) == 1
    assert system.commands == []
    assert "(no apt-get on this system)" in capsys.readouterr().out


def test_missing_package_lists_are_fetched_then_install_retried():
    system = FakeSystem(lists=False)
    assert check_system.main(system.checks, is_root=True, run=system.run, has_apt=True) == 0
    assert system.commands == [INSTALL, ["apt-get", "update"], INSTALL]


def test_apt_get_failing_after_update_prints_the_one_command(capsys):
    system = FakeSystem(install_works=False)
    assert check_system.main(system.checks, is_root=False, sudo_works=lambda: True, run=system.run, has_apt=True) == 1
    assert system.commands == [["sudo", "-n", *INSTALL], ["sudo", "-n", "apt-get", "update"], ["sudo", "-n", *INSTALL]]
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"Missing the libharfbuzz-subset0 library, the fonts-dejavu-core library (apt-get failed, see above): {MANUAL}")


def test_failed_update_does_not_retry():
    system = FakeSystem(lists=False, update_works=False)
    assert check_system.main(system.checks, is_root=True, run=system.run, has_apt=True) == 1
    assert system.commands == [INSTALL, ["apt-get", "update"]]


def test_still_missing_after_a_successful_install_is_reported(capsys):
    system = FakeSystem()
    system.run = lambda command: system.commands.append(list(command)) or 0  # apt-get "succeeds", installs nothing
    assert check_system.main(system.checks, is_root=True, run=system.run, has_apt=True) == 1
    assert capsys.readouterr().out.splitlines()[-1].startswith(
        "Still missing the libharfbuzz-subset0 library, the fonts-dejavu-core library after apt-get install")


def test_nothing_missing_runs_nothing(capsys):
    system = FakeSystem()
    system.installed |= {"libharfbuzz-subset0", "fonts-dejavu-core"}
    assert check_system.main(system.checks, is_root=True, run=system.run, has_apt=True) == 0
    assert system.commands == [] and capsys.readouterr().out == ""


def test_this_machine_passes_the_real_checks():
    """The real checks find what this machine has (the suite renders PDFs, so all must be there)."""
    assert check_system.missing(check_system.CHECKS) == []
