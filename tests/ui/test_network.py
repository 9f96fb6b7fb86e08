"""The app opens no network connection while starting, browsing and searching."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = Path(__file__).with_name("network_probe.py")
ROOT = Path(__file__).resolve().parents[2]
INET_CONNECT = re.compile(r"connect\(\d+, \{sa_family=AF_INET6?,")


def _env(data_dir: Path) -> dict[str, str]:
    return dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        SDM_APP_DATA_DIR=str(data_dir),
        PYTHONPATH=str(ROOT),
    )


def test_no_socket_activity_in_python(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(PROBE)],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout.strip().splitlines()[-1])
    assert record["modules_opened"] > 0
    assert record["events"] == []


def test_the_probe_would_see_a_connection(tmp_path: Path) -> None:
    """The audit hook is live: a deliberate lookup is recorded."""
    script = (
        f"import runpy, socket, sys; sys.argv=[{str(PROBE)!r}];"
        "mod = runpy.run_path(sys.argv[0], run_name='probe');"
        "\ntry: socket.getaddrinfo('localhost', 80)\nexcept OSError: pass\n"
        "print(mod['events'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=_env(tmp_path), capture_output=True, text=True
    )
    assert "socket.getaddrinfo" in result.stdout


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_no_inet_connect_from_native_code(tmp_path: Path) -> None:
    trace = tmp_path / "trace.txt"
    result = subprocess.run(
        [
            "strace",
            "-f",
            "-qq",
            "-e",
            "trace=connect",
            "-o",
            str(trace),
            sys.executable,
            str(PROBE),
        ],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0 and "ptrace" in result.stderr:
        pytest.skip("ptrace is not permitted here")
    assert result.returncode == 0, result.stderr
    connects = [line for line in trace.read_text().splitlines() if INET_CONNECT.search(line)]
    assert connects == []
