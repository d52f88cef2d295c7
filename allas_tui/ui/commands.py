"""Command palette entries, named `area: verb`, offered where they make sense."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.screen import Screen

from allas_tui.ui.widgets.object_pane import ObjectPane

if TYPE_CHECKING:
    from allas_tui.ui.app import AllasApp


def palette_commands(app: AllasApp, screen: Screen[object]) -> Iterator[SystemCommand]:
    """Every allas-tui action; object actions only inside a bucket."""
    in_bucket = app.location.bucket is not None
    yield SystemCommand("bucket: create", "Create a new bucket (n)", app.action_new_bucket)
    yield SystemCommand(
        "bucket: open by name", "Open a shared bucket by name (o)", app.action_open_by_name
    )
    if in_bucket:
        yield SystemCommand("object: upload", "Upload into this folder (u)", app.action_upload)
    yield SystemCommand(
        "object: download", "Download the marked or cursor items (d)", app.action_download
    )
    yield SystemCommand(
        "object: delete", "Delete the marked or cursor items, after asking (x)", app.action_delete
    )
    yield SystemCommand("object: details", "Every header and metadata item (i)", app.action_details)
    yield SystemCommand(
        "project: switch",
        "Another project or login; transfers keep theirs (p)",
        app.action_switch_project,
    )
    yield SystemCommand(
        "project: usage and login",
        "Storage URL, token expiry, usage against the limits (P)",
        app.action_project,
    )
    yield SystemCommand(
        "bucket: bookmark", "Bookmark this bucket or folder, or drop it (B)", app.action_bookmark
    )
    yield SystemCommand(
        "bucket: sharing",
        "Public or private, grants to projects, time-limited links (S)",
        app.action_share,
    )
    yield SystemCommand("object: copy", "Copy the path, key or URL (y)", app.action_copy)
    yield SystemCommand(
        "object: edit metadata", "Content type and user metadata (e)", app.action_edit_metadata
    )
    yield SystemCommand("object: preview", "The start of an object (v)", app.action_preview)
    yield SystemCommand(
        "object: find", "Find objects by name under this folder (f)", app.action_find
    )
    for pane in screen.query(ObjectPane):  # absent when called over a dialog
        yield SystemCommand("view: filter", "Filter the list as you type (/)", pane.action_filter)
        yield SystemCommand("view: sort", "Sort by name, size or date (s)", pane.action_cycle_sort)
    yield SystemCommand("view: refresh", "List the current location again (r)", app.action_refresh)
    yield SystemCommand(
        "view: segments", "Show or hide segment buckets and folders (.)", app.action_toggle_segments
    )
    yield SystemCommand("view: up one level", "Go to the parent (Backspace)", app.action_up)
    yield SystemCommand("view: help", "Every key (?)", app.action_help)
    yield SystemCommand(
        "transfers: show or hide", "Toggle the transfer panel (t)", app.action_toggle_transfers
    )
    if app.queue is not None and app.queue.active_count:
        yield SystemCommand(
            "transfers: cancel all", "Cancel running transfers", app.queue.cancel_all
        )
    yield SystemCommand("app: quit", "Quit; asks first if transfers run (q)", app.action_quit_app)
