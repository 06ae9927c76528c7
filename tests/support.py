"""Paths and constants the tests share (imported by name: `conftest` is ambiguous)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "prodev-backend.toml"
# The real learner's README lives beside the project, not in it: tests that need it skip without it.
FIXTURE_README = ROOT.parent / "shared" / "fixtures" / "prodev-backend-readme.md"
NOW = "2026-11-28T18:00:00+00:00"
