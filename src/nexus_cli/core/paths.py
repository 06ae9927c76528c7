"""Where the journal and the config file live."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

from nexus_cli.core.errors import JournalError

APP = "nexus"


def config_path() -> Path:
    """Return the config file's path (platformdirs' user config folder)."""
    from platformdirs import user_config_path

    return user_config_path(APP) / "config.toml"


def default_journal_path() -> Path:
    """Return the journal path used when nothing else names one."""
    from platformdirs import user_data_path

    return user_data_path(APP) / "journal.toml"


def read_config(path: Path | None = None) -> dict[str, Any]:
    """Return the config file's contents ({} when there is none)."""
    import tomllib  # only when there is a config to read

    path = path or config_path()
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise JournalError(f"cannot read config {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise JournalError(f"config {path} is not valid TOML: {exc}") from None


class JournalLocation(NamedTuple):
    """The journal path in use and what chose it."""

    path: Path
    source: str


def resolve_journal(option: str | Path | None) -> JournalLocation:
    """Return the journal to use: --journal, $NEXUS_JOURNAL, config, default."""
    if option:
        return JournalLocation(_expand(option), "--journal")
    env = os.environ.get("NEXUS_JOURNAL")
    if env:
        return JournalLocation(_expand(env), "$NEXUS_JOURNAL")
    cfg_path = config_path()
    configured = read_config(cfg_path).get("journal")
    if configured is not None:
        if not isinstance(configured, str) or not configured:
            raise JournalError(f"config {cfg_path}: `journal` must be a path string")
        base = cfg_path.parent
        path = _expand(configured)
        return JournalLocation(path if path.is_absolute() else base / path, f"config {cfg_path}")
    return JournalLocation(default_journal_path(), "default")


def _expand(value: str | Path) -> Path:
    return Path(os.path.expandvars(os.path.expanduser(str(value))))
