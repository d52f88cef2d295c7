"""The bucket tree: the project's buckets, in the left pane."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree

from allas_tui.storage.models import BucketInfo


class BucketTree(Tree[BucketInfo]):
    """Lists the buckets of the current project."""

    class BucketHighlighted(Message):
        """The cursor moved onto a bucket."""

        def __init__(self, tree: BucketTree, bucket: BucketInfo) -> None:
            super().__init__()
            self.tree = tree
            self.bucket = bucket

        @property
        def control(self) -> BucketTree:
            """The tree that sent this."""
            return self.tree

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__("Buckets", id=id)
        self.show_root = False
        self.guide_depth = 2

    def show_buckets(self, buckets: list[BucketInfo]) -> None:
        """Replace the tree's contents with `buckets`."""
        self.clear()
        for bucket in buckets:
            # Text, not markup: a bucket name is data and must never be parsed
            self.root.add_leaf(Text(bucket.name), data=bucket)
        self.border_subtitle = f"{len(buckets)} buckets"
        if buckets:
            self.move_cursor(self.root.children[0])

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[BucketInfo]) -> None:
        """Tell the app which bucket is under the cursor."""
        event.stop()
        if event.node.data is not None:
            self.post_message(self.BucketHighlighted(self, event.node.data))
