"""Files that hold a secret (a password or a secret key) should be readable by
their owner alone; on a shared login node, anything more is a leak."""

from __future__ import annotations

import re
import shlex
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

_SECRET_SETTING = re.compile(
    r"""^\s*(?:export\s+)?[\w.-]*(?:password|secret_access_key|secret_key)\s*[=:]\s*["']?(?![$"'\s])""",
    re.IGNORECASE | re.MULTILINE,
)
"""A password or secret key given a value: `password: x`, `secret_key = "x"`,
`export OS_PASSWORD=x`; not `OS_PASSWORD=$OS_PASSWORD_INPUT`, which CSC's RC
files use to read it at the prompt."""


def exposed_secret_warning(path: Path) -> str | None:
    """A warning if `path` holds a secret and other users can read it."""
    try:
        mode = path.stat().st_mode
        if not mode & (stat.S_IRGRP | stat.S_IROTH):
            return None
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    if not _SECRET_SETTING.search(text):
        return None
    return (
        f"{path} holds a secret, and other users can read it ({stat.filemode(mode)}). "
        f"Run: chmod go-rwx {shlex.quote(str(path))}"
    )


def aws_files(env: Mapping[str, str], home: Path) -> list[Path]:
    """The AWS CLI's credentials and config files, where keys may be kept."""
    return [
        Path(env.get("AWS_SHARED_CREDENTIALS_FILE") or home / ".aws/credentials"),
        Path(env.get("AWS_CONFIG_FILE") or home / ".aws/config"),
    ]


def exposed_secret_warnings(paths: Iterable[Path | None]) -> list[str]:
    """A warning for each of `paths` that holds a secret others can read."""
    seen: set[Path] = set()
    warnings = []
    for path in paths:
        if path is None or path in seen:
            continue
        seen.add(path)
        if (warning := exposed_secret_warning(path)) is not None:
            warnings.append(warning)
    return warnings
