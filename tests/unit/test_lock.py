"""The lock files pin, with hashes, every dependency pyproject.toml asks for (issue 13).

Changing a dependency in pyproject.toml without `make lock` fails here, not on
a user's machine whose `make build` installs from the stale lock.
"""

from __future__ import annotations

import re
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def read_lock(name: str) -> dict[str, str]:
    """name -> pinned version; every entry must carry at least one sha256 hash."""
    pins: dict[str, str] = {}
    text = (ROOT / name).read_text(encoding="utf-8")
    for entry in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = ENTRY.match(entry)
        if match:
            assert "--hash=sha256:" in entry, f"{name}: {match.group(1)} has no hash"
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def wanted(*extras: str) -> list[Requirement]:
    project = PYPROJECT["project"]
    names = [*PYPROJECT["build-system"]["requires"], *project["dependencies"]]
    for extra in extras:
        names += project["optional-dependencies"][extra]
    return [Requirement(name) for name in names]


@pytest.mark.parametrize("lock, extras", [
    ("requirements.lock", ("test", "dask")),
    ("requirements-bench.lock", ("test", "dask", "bench")),
])
def test_lock_pins_every_dependency_within_its_range(lock, extras):
    pins = read_lock(lock)
    problems = []
    for requirement in wanted(*extras):
        version = pins.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{requirement} is not in {lock}")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement} but {lock} pins {version}")
    assert problems == [], "run `make lock`: " + "; ".join(problems)


def test_the_bench_lock_renders_with_the_same_versions():
    main, bench = read_lock("requirements.lock"), read_lock("requirements-bench.lock")
    assert {name: bench.get(name) for name in main} == main


def test_a_stale_lock_is_caught(tmp_path, monkeypatch):
    """The check above fails for a pin outside pyproject's range and for a missing package."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    stale = re.sub(r"^weasyprint==\S+", "weasyprint==69.0", text, flags=re.M)
    stale = re.sub(r"^segno==.*?(?=\n[a-z])", "", stale, flags=re.M | re.S)
    (tmp_path / "requirements.lock").write_text(stale, encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    with pytest.raises(AssertionError) as caught:
        test_lock_pins_every_dependency_within_its_range("requirements.lock", ("test", "dask"))
    assert "weasyprint<71,>=70 but requirements.lock pins 69.0" in str(caught.value)
    assert "segno>=1.6 is not in requirements.lock" in str(caught.value)
