"""Shared fixtures. Tests must pass in a plain clone: data lives under tests/ and examples/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from localserver import server  # noqa: F401 - the local HTTP server fixture, for every test

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
SEED = ROOT / "examples" / "article-record.txt"

settings.register_profile("default", max_examples=100, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=10_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def seed_path() -> Path:
    return SEED


def run_cli(*args: str, input: bytes | str | None = None, env: dict[str, str] | None = None,
            cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    """Run the real CLI in a subprocess (stdout and stderr kept apart, both bytes)."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("CITETOOL_DEBUG", None)
    data = input.encode() if isinstance(input, str) else input
    return subprocess.run([sys.executable, "-m", "citetool", *args], input=data,
                          capture_output=True, env=full_env, cwd=cwd or ROOT, timeout=timeout,
                          check=False)


@pytest.fixture
def cli():  # type: ignore[no-untyped-def]
    return run_cli
