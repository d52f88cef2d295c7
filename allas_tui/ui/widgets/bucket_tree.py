"""The bucket tree: the project's buckets, each opening lazily into pseudo-folders."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode
from textual.worker import get_current_worker

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.models import BucketInfo
from allas_tui.ui.location import DELIMITER, Location
from allas_tui.ui.safe_text import safe_text, visible
from allas_tui.wording import count

CHUNK = 500
"""Folders added to the tree per UI turn, so a wide level never freezes the screen."""
LOADING = "Loading..."


class BucketTree(Tree[Location]):
    """Lists the buckets of the current project; folders load when a node opens."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,l", "open_node", "Open", id="tree-open", tooltip="Open in the table"),
        Binding("backspace,h", "up_node", "Up", id="tree-up", tooltip="Up one level"),
        Binding("j", "cursor_down", "Down", show=False, id="tree-down"),
        Binding("k", "cursor_up", "Up", show=False, id="tree-up-k"),
    ]

    class Open(Message):
        """The user opened a bucket or folder in the tree."""

        def __init__(self, tree: BucketTree, location: Location) -> None:
            super().__init__()
            self.tree = tree
            self.location = location

        @property
        def control(self) -> BucketTree:
            """The tree that sent this."""
            return self.tree

    class FoldersListed(Message):
        """A page of sub-folders arrived for one node."""

        def __init__(
            self,
            node: TreeNode[Location],
            folders: list[str],
            done: bool,
            error: str | None = None,
        ) -> None:
            super().__init__()
            self.node = node
            self.folders = folders
            self.done = done
            self.error = error

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__("Buckets", data=Location(), id=id)
        self.show_root = False
        self.guide_depth = 2
        self.auto_expand = False
        self.backend: StorageBackend | None = None
        """Where folders are listed from; set once connected."""
        self._loaded: set[int] = set()

    def show_buckets(self, buckets: list[BucketInfo], bookmarks: Sequence[Location] = ()) -> None:
        """Replace the tree's contents with `bookmarks` (marked ★) and `buckets`."""
        self.clear()
        self._loaded.clear()
        for place in bookmarks:
            self._add_folder_node(self.root, place, f"★ {place.label}")
        for bucket in buckets:
            self._add_folder_node(self.root, Location(bucket.name), bucket.name)
        self.border_subtitle = count(len(buckets), "bucket")
        if self.root.children:
            self.move_cursor(self.root.children[0])

    def _add_folder_node(self, parent: TreeNode[Location], location: Location, name: str) -> None:
        node = parent.add(safe_text(name), data=location, allow_expand=True)
        node.add_leaf(LOADING)

    # -- actions --------------------------------------------------------------
    def action_open_node(self) -> None:
        """Open the node in the table and unfold it."""
        node = self.cursor_node
        if node is None or node.data is None:
            return
        if not node.is_expanded:
            node.expand()
        self.post_message(self.Open(self, node.data))

    def action_up_node(self) -> None:
        """Fold the node, or go to its parent."""
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Location]) -> None:
        """Load a node's folders the first time it opens."""
        event.stop()
        node = event.node
        if node.id in self._loaded or node.data is None or node.data.bucket is None:
            return
        self._loaded.add(node.id)
        if not (len(node.children) == 1 and str(node.children[0].label) == LOADING):
            node.remove_children()  # an earlier try failed: start afresh
            node.add_leaf(LOADING)
        self.load_folders(node)

    def load_folders(self, node: TreeNode[Location]) -> None:
        """List `node`'s sub-folders in a thread worker of its own. The worker
        belongs to the app, so its errors reach the app's one error handler."""
        label = visible(node.data.label) if node.data else ""
        self.app.run_worker(
            partial(self._list_folders, node),
            name=f"tree: {label}",
            group="tree",
            thread=True,
            exit_on_error=False,
        )

    def _list_folders(self, node: TreeNode[Location]) -> None:
        worker = get_current_worker()
        location = node.data
        if location is None or location.bucket is None or self.backend is None:
            return
        error = None
        try:
            for page in self.backend.iter_pages(location.bucket, location.prefix, DELIMITER):
                if worker.is_cancelled:
                    return
                # one message per chunk: the UI adds a chunk, then gets a turn to paint
                for start in range(0, len(page.folders), CHUNK):
                    chunk = page.folders[start : start + CHUNK]
                    self.post_message(self.FoldersListed(node, chunk, done=False))
        except Exception as exc:
            error = str(exc).splitlines()[0]
            raise
        finally:
            self.post_message(self.FoldersListed(node, [], done=True, error=error))

    def on_bucket_tree_folders_listed(self, message: BucketTree.FoldersListed) -> None:
        """Add a chunk of folders; when all came, drop the placeholder."""
        node = message.node
        if not message.done:
            self._add_folders(node, message.folders)
            return
        for child in list(node.children):
            if child.data is None:  # the placeholder
                child.remove()
        if message.error:
            node.add_leaf(safe_text(f"! {message.error}", style="italic"))
            self._loaded.discard(node.id)  # try again next time it opens
        elif not node.children:
            node.allow_expand = False

    def _add_folders(self, node: TreeNode[Location], folders: list[str]) -> None:
        if node.data is None:
            return
        bucket, prefix = node.data.bucket, node.data.prefix
        for folder in folders:
            name = folder.removeprefix(prefix).rstrip(DELIMITER) or folder
            self._add_folder_node(node, Location(bucket, folder), name)
