"""The app's keys, with the ids a user keymap can rebind them by."""

from __future__ import annotations

from textual.binding import Binding, BindingType

APP_KEYS: list[BindingType] = [
    Binding("n", "new_bucket", "New", id="new-bucket", tooltip="Create a bucket"),
    Binding("u", "upload", "Upload", id="upload", tooltip="Upload files or directories here"),
    Binding("d", "download", "Download", id="download", tooltip="Download marked or cursor items"),
    Binding(
        "delete,x",
        "delete",
        "Delete",
        id="delete",
        tooltip="Delete marked or cursor items",
        key_display="x",
    ),
    Binding("i", "details", "Info", id="details", tooltip="Every header and metadata item"),
    Binding("q", "quit_app", "Quit", id="quit", tooltip="Quit; asks first if transfers run"),
    Binding("question_mark", "help", "Help", id="help", tooltip="This list of keys"),
    Binding(
        "o",
        "open_by_name",
        "Open",
        id="open-bucket",
        show=False,
        tooltip="Open a bucket by name (shared buckets)",
    ),
    Binding(
        "y",
        "copy",
        "Copy",
        id="copy",
        show=False,
        tooltip="Copy the key, s3:// or swift:// path, or URL to the clipboard",
    ),
    Binding(
        "S",
        "share",
        "Share",
        id="share",
        show=False,
        tooltip="Sharing: public or private, grants to projects, time-limited links, public URL",
    ),
    Binding("r", "refresh", "Refresh", id="refresh", show=False, tooltip="List again"),
    Binding(
        "full_stop",
        "toggle_segments",
        "Segments",
        id="toggle-segments",
        show=False,
        tooltip="Show or hide segment buckets and folders (_segments, +segments, .file-segments)",
    ),
    Binding(
        "t",
        "toggle_transfers",
        "Transfers",
        id="toggle-transfers",
        show=False,
        tooltip="Show or hide the transfer panel",
    ),
    Binding("backspace,h", "up", "Up", id="up", show=False, tooltip="Up one level"),
    Binding(
        "L",
        "log_in_again",
        "Log in",
        id="log-in-again",
        show=False,
        tooltip="Log in again with the password (after an allas-conf token expired)",
    ),
]
