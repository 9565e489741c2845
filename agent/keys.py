"""The per-install secret behind user pseudonyms and fingerprints when the policy sets no organisation key.

Kept in the OS keyring (Keychain, Credential Manager, Secret Service) when one is usable; otherwise, as on
a headless Linux box with no Secret Service, in a 0600 file in the agent's data dir. Once a key exists in
one place it stays there: moving it would change every pseudonym the server has seen from this device.
"""

from __future__ import annotations

import base64
import logging
import os
import secrets
from pathlib import Path

KEYRING_SERVICE = "promptfence"
KEYRING_ACCOUNT = "install-key"
KEY_FILE = "install.key"
KEY_BYTES = 32

log = logging.getLogger("promptfence.agent.keys")


def _read_file_key(path: Path) -> bytes | None:
    try:
        return base64.b64decode(path.read_text().strip(), validate=True)
    except FileNotFoundError:
        return None


def _create_file_key(path: Path) -> bytes:
    key = secrets.token_bytes(KEY_BYTES)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: if another process won the race, use its key rather than overwrite it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_file_key(path)
    with os.fdopen(fd, "w") as handle:
        handle.write(base64.b64encode(key).decode() + "\n")
    return key


def _keyring_key() -> bytes | None:
    """The key from the OS keyring, created there if missing; None when no usable keyring exists."""
    try:
        import keyring
        from keyring.backends import fail

        if isinstance(keyring.get_keyring(), fail.Keyring):
            return None
        stored = keyring.get_password(KEYRING_SERVICE, KEYRING_ACCOUNT)
        if stored:
            return base64.b64decode(stored, validate=True)
        key = secrets.token_bytes(KEY_BYTES)
        keyring.set_password(KEYRING_SERVICE, KEYRING_ACCOUNT, base64.b64encode(key).decode())
        return key
    except Exception as error:  # noqa: BLE001 - any backend failure (locked, no D-Bus) means "no keyring"
        log.warning("keyring unusable (%s); keeping the install key in a file", type(error).__name__)
        return None


def install_key(data_dir: Path, use_keyring: bool = True) -> tuple[bytes, str]:
    """(key, where) with `where` "file" or "keyring". A testing home passes use_keyring=False so tests
    never touch the real user's keyring."""
    path = Path(data_dir) / KEY_FILE
    key = _read_file_key(path)
    if key:
        return key, "file"
    if use_keyring:
        key = _keyring_key()
        if key:
            return key, "keyring"
    return _create_file_key(path), "file"
