"""The systemd units in deploy/ are valid (`systemd-analyze verify`, no complaint at all), and
docs/deploy.md installs the files that exist."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import REPO

UNITS = sorted((REPO / "deploy").glob("sondhani*.*"))
INSTALLED = "/opt/sondhani/.venv/bin/sondhani"  # where docs/deploy.md installs the command


def test_the_units_exist_and_docs_deploy_names_each() -> None:
    assert {u.name for u in UNITS} == {"sondhani.service", "sondhani-backup.service", "sondhani-backup.timer"}
    guide = (REPO / "docs" / "deploy.md").read_text("utf-8")
    for unit in UNITS:
        assert f"deploy/{unit.name}" in guide
    for text in (u.read_text("utf-8") for u in UNITS if u.suffix == ".service"):
        assert INSTALLED in text


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_analyze_verify_finds_nothing_to_say(tmp_path: Path) -> None:
    command = Path(sys.executable).with_name("sondhani")  # this checkout's command stands in for /opt's
    assert command.is_file()
    for unit in UNITS:
        (tmp_path / unit.name).write_text(unit.read_text("utf-8").replace(INSTALLED, str(command)), "utf-8")
    done = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / u.name) for u in UNITS)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    complaints = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert done.returncode == 0 and not complaints, complaints


def test_the_service_does_not_restart_on_a_configuration_error() -> None:
    service = (REPO / "deploy" / "sondhani.service").read_text("utf-8")
    assert re.search(r"^RestartPreventExitStatus=2$", service, re.M)  # `sondhani run` exits 2 on bad settings
