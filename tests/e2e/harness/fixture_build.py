"""Bundle the fixture editors (the real ProseMirror and Quill from node_modules) with esbuild.

The output goes to tests/e2e/fixtures/build/ (gitignored) and is rebuilt when a source is newer than
it, so the first test session after `npm ci` pays about a second and the rest nothing.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "e2e" / "fixtures"
SOURCES = FIXTURES / "src"
BUILD = FIXTURES / "build"
ENTRY_POINTS = ["chatgpt.js", "claude.js", "gemini.js", "copilot.js", "example-ai.js", "site.css"]
ESBUILD = REPO / "node_modules" / ".bin" / "esbuild"


class FixtureBuildError(RuntimeError):
    pass


def _stale() -> bool:
    outputs = list(BUILD.glob("*.js")) + list(BUILD.glob("*.css"))
    if len(outputs) < len(ENTRY_POINTS):
        return True
    newest_input = max(p.stat().st_mtime for p in SOURCES.iterdir())
    lock = REPO / "package-lock.json"
    newest_input = max(newest_input, lock.stat().st_mtime)
    return newest_input > min(p.stat().st_mtime for p in outputs)


def build_fixtures() -> Path:
    """Bundle the fixture pages' scripts if needed; return the build directory."""
    if not ESBUILD.exists():
        raise FixtureBuildError(f"{ESBUILD} is missing: run `make setup` (npm ci) first")
    if _stale():
        BUILD.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [str(ESBUILD), *ENTRY_POINTS, "--bundle", "--format=esm", "--target=chrome120",
             f"--outdir={BUILD}", "--log-level=warning"],
            cwd=SOURCES, capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise FixtureBuildError(f"esbuild failed:\n{result.stderr}")
    return BUILD
