"""The lock pins every dependency with hashes for every platform and Python the README
promises, agrees with pyproject.toml's ranges, and is what .venv holds."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from sdm_app import paths

ROOT = paths.app_root()
sys.path.insert(0, str(ROOT / "packaging"))

import dev  # noqa: E402  (packaging/dev.py)
from lockfile import LOCK, Pin, read_lock, versions_for  # noqa: E402

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
PLATFORMS = {
    "linux": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"},
    "windows": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"},
    "macos": {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix"},
}
PYTHONS = ("3.11", "3.12", "3.13")


def _environment(platform: str, python: str) -> dict[str, str]:
    return {
        **PLATFORMS[platform],
        "python_version": python,
        "python_full_version": f"{python}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "platform_machine": "x86_64",
    }


def _direct_requirements() -> list[Requirement]:
    lines = [*PROJECT["dependencies"], *PROJECT["optional-dependencies"]["test"]]
    return [Requirement(line) for line in lines]


def test_every_line_is_pinned_with_hashes() -> None:
    pins = read_lock()
    assert len(pins) > 20
    assert all(pin.hashes and all(h.startswith("sha256:") for h in pin.hashes) for pin in pins)


@pytest.mark.parametrize("python", PYTHONS)
@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_the_lock_satisfies_pyproject_on_every_platform(platform: str, python: str) -> None:
    environment = _environment(platform, python)
    locked = versions_for(read_lock(), environment)
    for requirement in _direct_requirements():
        if requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is not in the lock for {platform}, Python {python}"
        assert requirement.specifier.contains(locked[name], prereleases=True), (
            f"{name} {locked[name]} is outside pyproject.toml's {requirement.specifier}: "
            f"run `{dev.LOCK_COMMAND}`"
        )


def test_platform_only_packages_are_marked_not_dropped() -> None:
    # pywin32-ctypes (PyInstaller on Windows) and macholib (on macOS) only exist
    # in a lock resolved for every platform, not just the one it was made on.
    pins = {pin.name: pin for pin in read_lock()}
    assert "sys_platform == 'win32'" in (pins["pywin32-ctypes"].marker or "")
    assert "sys_platform == 'darwin'" in (pins["macholib"].marker or "")
    assert not pins["pywin32-ctypes"].applies(_environment("linux", "3.11"))
    assert pins["pywin32-ctypes"].applies(_environment("windows", "3.11"))


def test_two_versions_for_one_platform_are_refused(tmp_path: Path) -> None:
    lock = tmp_path / "requirements.lock"
    lock.write_text(
        "babel==2.18.0 \\\n    --hash=sha256:aa\n    # via x\nbabel==2.19.0 \\\n"
        "    --hash=sha256:bb\n",
        encoding="utf-8",
    )
    pins = read_lock(lock)
    assert pins == [
        Pin("babel", "2.18.0", None, ("sha256:aa",)),
        Pin("babel", "2.19.0", None, ("sha256:bb",)),
    ]
    with pytest.raises(ValueError, match="two versions"):
        versions_for(pins)


def test_the_install_stamp_follows_the_lock_and_pyproject(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "packaging").mkdir()
    lock = tmp_path / "packaging" / "requirements.lock"
    lock.write_text(LOCK.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
    monkeypatch.setattr(dev, "ROOT", tmp_path)
    monkeypatch.setattr(dev, "LOCK", lock)
    first = dev.lock_stamp()
    lock.write_text(lock.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    second = dev.lock_stamp()
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert len({first, second, dev.lock_stamp()}) == 3


@pytest.mark.skipif(
    not dev.installed_from_lock(Path(sys.prefix)),
    reason="this interpreter was not installed from the lock by packaging/dev.py",
)
def test_the_environment_holds_exactly_the_lock() -> None:
    frozen = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--all", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    installed: dict[str, str] = {}
    for line in frozen:
        if line.startswith(("-e ", "#")) or " @ " in line or "==" not in line:
            continue  # the project itself, installed editable, and pip's note on it
        name, version = line.split("==", 1)
        installed[canonicalize_name(name)] = version
    installed.pop("pip")  # the installer comes with the venv, it is not a dependency
    installed.pop("sdm-app", None)
    assert installed == versions_for(read_lock())
