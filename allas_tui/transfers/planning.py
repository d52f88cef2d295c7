"""Turning what the user picked into transfer jobs, and finding what they would replace."""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.errors import LocalFileError, NotFound
from allas_tui.transfers.jobs import Direction, TransferJob

HEAD_LIMIT = 64
"""Up to this many uploads, each key is checked with a HEAD; above it, one
listing of the keys' common prefix is cheaper."""


@dataclass
class TransferPlan:
    """The jobs to run, and what was left out with why."""

    jobs: list[TransferJob] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    """Name → reason, for objects or files that cannot be transferred."""


def plan_uploads(paths: Iterable[Path], bucket: str, prefix: str) -> TransferPlan:
    """A job per file: a file goes to `prefix + name`, a directory's files to
    `prefix + dirname/relative/path`. Symlinked directories are not followed."""
    plan = TransferPlan()
    for path in paths:
        if path.is_dir():
            _plan_directory(path, bucket, prefix + path.name + "/", plan)
        elif path.is_file():
            plan.jobs.append(_upload_job(path, bucket, prefix + path.name))
        elif not path.exists():
            raise LocalFileError(f"{path} does not exist.", hint="Check the path and try again.")
        else:
            plan.skipped[str(path)] = "not a regular file"
    return plan


def _plan_directory(root: Path, bucket: str, prefix: str, plan: TransferPlan) -> None:
    def walk_error(error: OSError) -> None:
        plan.skipped[str(error.filename)] = error.strerror or str(error)

    for folder, dirs, files in os.walk(root, onerror=walk_error):
        dirs.sort()
        relative = Path(folder).relative_to(root).as_posix()
        key_prefix = prefix if relative == "." else f"{prefix}{relative}/"
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file():
                plan.jobs.append(_upload_job(path, bucket, key_prefix + name))
            else:
                plan.skipped[str(path)] = "not a regular file"


def _upload_job(path: Path, bucket: str, key: str) -> TransferJob:
    return TransferJob(Direction.UPLOAD, bucket, key, path, path.stat().st_size)


def local_path_for(dest: Path, relative_key: str) -> Path:
    """Where an object lands under `dest`. A key that would climb out of `dest`
    (`..`), or that no file system can name, raises ValueError."""
    if "\0" in relative_key:
        raise ValueError("the name holds a NUL character")
    parts = [p for p in PurePosixPath(relative_key).parts if p != "/"]
    if not parts:
        raise ValueError("the name is empty")
    if any(p in ("..", ".") for p in relative_key.split("/")):
        raise ValueError("the name holds a '..' or '.' path part")
    return dest.joinpath(*parts)


def plan_downloads(
    backend: StorageBackend,
    bucket: str,
    base_prefix: str,
    keys: Iterable[tuple[str, int]],
    folders: Iterable[str],
    dest: Path,
) -> TransferPlan:
    """Jobs for objects (key, size; -1 when unknown) and for everything under
    pseudo-folders, each landing at its key relative to `base_prefix`, below `dest`."""
    plan = TransferPlan()

    def add(key: str, size: int) -> None:
        if key.endswith("/"):
            return  # a folder marker object holds no data
        if size < 0:
            size = backend.head_object(bucket, key).size
        try:
            target = local_path_for(dest, key.removeprefix(base_prefix))
        except ValueError as exc:
            plan.skipped[key] = str(exc)
            return
        plan.jobs.append(TransferJob(Direction.DOWNLOAD, bucket, key, target, size))

    for key, size in keys:
        add(key, size)
    for folder in folders:
        for page in backend.iter_pages(bucket, folder):
            for obj in page.objects:
                add(obj.key, obj.size if obj.size_known else -1)
    return plan


def existing_local(jobs: Iterable[TransferJob]) -> list[TransferJob]:
    """Downloads whose target file already exists."""
    return [j for j in jobs if j.local_path.exists() or j.local_path.is_symlink()]


def existing_remote(backend: StorageBackend, jobs: list[TransferJob]) -> list[TransferJob]:
    """Uploads whose key already exists in its bucket."""
    if not jobs:
        return []
    if len(jobs) <= HEAD_LIMIT:

        def exists(job: TransferJob) -> bool:
            try:
                backend.head_object(job.bucket, job.key)
            except NotFound:
                return False
            return True

        with ThreadPoolExecutor(8, thread_name_prefix="allas-head") as pool:
            found = list(pool.map(exists, jobs))
        return [job for job, there in zip(jobs, found, strict=True) if there]
    wanted = {j.key: j for j in jobs}
    prefix = os.path.commonprefix(list(wanted))  # noqa: RUF071 - a string prefix, as S3 means it
    there: list[TransferJob] = []
    for page in backend.iter_pages(jobs[0].bucket, prefix):
        there.extend(wanted[o.key] for o in page.objects if o.key in wanted)
    return there
