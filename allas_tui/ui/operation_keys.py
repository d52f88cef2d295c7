"""The operation keys' actions: each starts a dialog flow of `operations.py`
as a named worker, so that app.py keeps to the panes and navigation."""

from __future__ import annotations

from allas_tui.ui.bookmarking import BookmarkFlow
from allas_tui.ui.operations import Operations
from allas_tui.ui.switching import ProjectSwitch


class OperationKeys:
    """Actions of the app's operation keys (a mixin of `AllasApp`)."""

    operations: Operations
    bookmarks: BookmarkFlow
    switching: ProjectSwitch

    def action_new_bucket(self) -> None:
        """Create a bucket."""
        self.operations.start("new bucket", self.operations.new_bucket)

    def action_open_by_name(self) -> None:
        """Open a bucket by name (shared buckets are not listed)."""
        self.operations.start("open bucket", self.operations.open_by_name)

    def action_upload(self) -> None:
        """Upload into the current bucket and folder."""
        self.operations.start("upload", self.operations.upload)

    def action_download(self) -> None:
        """Download the marked rows, or the cursor row."""
        self.operations.start("download", self.operations.download)

    def action_delete(self) -> None:
        """Delete the marked rows, or the cursor row, after confirming."""
        self.operations.start("delete", self.operations.delete)

    def action_details(self) -> None:
        """Show the details of the cursor row."""
        self.operations.details()

    def action_copy(self) -> None:
        """Copy the cursor row's path, key or URL to the clipboard."""
        self.operations.start("copy", self.operations.copy)

    def action_copy_objects(self) -> None:
        """Copy the marked rows, or the cursor row, server-side."""
        self.operations.start("copy objects", self.operations.copy_objects)

    def action_move_objects(self) -> None:
        """Move or rename the marked rows, or the cursor row, server-side."""
        self.operations.start("move objects", self.operations.move_objects)

    def action_find(self) -> None:
        """Find objects by name anywhere under the folder."""
        self.operations.start("find", self.operations.find)

    def action_preview(self) -> None:
        """The first bytes of the cursor object, as highlighted text or hex."""
        self.operations.start("preview", self.operations.preview)

    def action_edit_metadata(self) -> None:
        """Edit the cursor object's content type and user metadata."""
        self.operations.start("edit metadata", self.operations.edit_metadata)

    def action_bookmark(self) -> None:
        """Bookmark the bucket or folder at hand, or drop its bookmark."""
        self.bookmarks.toggle()

    def action_switch_project(self) -> None:
        """Switch to another project or login; transfers keep theirs."""
        self.operations.start("switch project", self.switching.run)

    def action_project(self) -> None:
        """The login, the token's expiry, and the project's usage against its limits."""
        self.operations.start("project", self.operations.project.show)

    def action_share(self) -> None:
        """Who may read the bucket at hand; make it public, grant, link."""
        self.operations.start("share", self.operations.share)

    def action_quit_app(self) -> None:
        """Quit, asking first when transfers are running."""
        self.operations.start("quit", self.operations.quit)
