"""The allas-tui application: connects, then shows the project's buckets."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Footer, Header, Static
from textual.worker import Worker, WorkerState

from allas_tui import __version__
from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.discovery import Discovery
from allas_tui.storage.errors import StorageError
from allas_tui.storage.models import AccountUsage, BucketInfo
from allas_tui.storage.profiles import ConnectionProfile, open_backend
from allas_tui.storage.settings import TransferSettings
from allas_tui.ui.screens.no_credentials import NoCredentialsScreen
from allas_tui.ui.widgets.bucket_details import BucketDetails
from allas_tui.ui.widgets.bucket_tree import BucketTree


class Connected(Message):
    """The storage worker logged in and listed the buckets."""

    def __init__(
        self,
        profile: ConnectionProfile,
        backend: StorageBackend,
        buckets: list[BucketInfo],
        usage: AccountUsage | None,
    ) -> None:
        super().__init__()
        self.profile = profile
        self.backend = backend
        self.buckets = buckets
        self.usage = usage


class AllasApp(App[int]):
    """Browse Allas over Swift or S3."""

    CSS_PATH = "app.tcss"
    TITLE = "allas-tui"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("r", "refresh", "Refresh", id="refresh", tooltip="List the buckets again"),
    ]

    def __init__(
        self,
        profile: ConnectionProfile | None,
        settings: TransferSettings | None = None,
        discovery: Discovery | None = None,
    ) -> None:
        """Open `profile`, or the demo store when it is None. With a `discovery`
        and no profile, first say where credentials were looked for."""
        super().__init__()
        self.profile = profile
        self.settings = settings or TransferSettings()
        self.discovery = discovery
        self.backend: StorageBackend | None = None
        self.usage: AccountUsage | None = None
        self._demo_store: object | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            tree = BucketTree(id="buckets")
            tree.border_title = "Buckets"
            yield tree
            details = BucketDetails(id="details")
            details.border_title = "Details"
            yield details
        yield Static("Connecting...", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"v{__version__}"
        if self.profile is None and self.discovery is not None:
            self.push_screen(NoCredentialsScreen(self.discovery))
        self.connect()

    # -- workers ------------------------------------------------------------
    @work(thread=True, group="storage", name="connect", exclusive=True, exit_on_error=False)
    def connect(self) -> None:
        """Log in (starting the demo store if need be) and list the buckets."""
        profile = self.profile or self._start_demo()
        backend = self.backend or open_backend(profile, self.settings)
        buckets = backend.list_buckets()
        usage = backend.account_usage()
        self.post_message(Connected(profile, backend, buckets, usage))

    def _start_demo(self) -> ConnectionProfile:
        from allas_tui.demo_store import DemoStore, seed_demo

        store = DemoStore()
        self._demo_store = store
        profile = store.start()
        seed_demo(profile)
        self.profile = profile
        return profile

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place worker failures become messages for the user."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, StorageError):
            text = str(error) + (f"\n{error.hint}" if error.hint else "")
        else:
            text = f"Unexpected error: {type(error).__name__}: {error}"
        self._status(text.splitlines()[0])
        self.notify(text, title="Allas", severity="error", timeout=10, markup=False)

    # -- messages -------------------------------------------------------------
    def on_connected(self, message: Connected) -> None:
        """Show the buckets and where we are."""
        self.backend = message.backend
        self.usage = message.usage
        profile = message.profile
        project = message.backend.project or profile.name
        self.sub_title = f"{project} · {profile.protocol.value} · {message.backend.endpoint}"
        self.query_one(BucketTree).show_buckets(message.buckets)
        if not message.buckets:
            self.query_one(BucketDetails).show(None, message.usage)
        self._status(f"Connected with {profile.name} ({profile.source})")
        self.query_one(BucketTree).focus()

    def on_bucket_tree_bucket_highlighted(self, message: BucketTree.BucketHighlighted) -> None:
        """Show the bucket under the cursor."""
        self.query_one(BucketDetails).show(message.bucket, self.usage)

    def _status(self, line: str) -> None:
        # Text, not markup: profile names like [s3allas-x] and keys are data
        self.query_one("#status", Static).update(Text(line))

    def action_refresh(self) -> None:
        """List the buckets again."""
        self._status("Refreshing...")
        self.connect()

    def on_unmount(self) -> None:
        from allas_tui.demo_store import DemoStore

        if isinstance(self._demo_store, DemoStore):
            self._demo_store.stop()
