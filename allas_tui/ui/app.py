"""The allas-tui application: three panes, one error handler, and navigation."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import ClassVar, TypeVar

from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerCancelled, WorkerFailed, WorkerState, get_current_worker

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.discovery import Discovery
from allas_tui.storage.errors import StorageError, TokenExpired
from allas_tui.storage.limits import AllasLimits
from allas_tui.storage.models import BucketInfo
from allas_tui.storage.profiles import ConnectionProfile, open_backend
from allas_tui.storage.settings import TransferSettings
from allas_tui.transfers.journal import Journal
from allas_tui.transfers.queue import TransferQueue
from allas_tui.ui.bookmarking import BookmarkFlow
from allas_tui.ui.commands import palette_commands
from allas_tui.ui.crash import CrashGuardedApp, secrets_of
from allas_tui.ui.keys import APP_KEYS
from allas_tui.ui.listing import (
    RowPage,
    bucket_page,
    empty_text,
    row_pages,
    settle_large_listing,
    shown_buckets,
)
from allas_tui.ui.location import Location
from allas_tui.ui.operation_keys import OperationKeys
from allas_tui.ui.operations import Operations, cursor_key
from allas_tui.ui.relogin import ReloginFlow
from allas_tui.ui.safe_text import safe_text, visible
from allas_tui.ui.screens.help import HelpScreen
from allas_tui.ui.screens.login_failed import LoginFailedScreen
from allas_tui.ui.screens.no_credentials import NoCredentialsScreen
from allas_tui.ui.switching import ProjectSwitch
from allas_tui.ui.true_sizes import TrueSizes
from allas_tui.ui.widgets.bucket_tree import BucketTree
from allas_tui.ui.widgets.object_pane import ObjectPane
from allas_tui.ui.widgets.object_rows import RowKind
from allas_tui.ui.widgets.object_table import ObjectTable
from allas_tui.ui.widgets.status_header import StatusHeader
from allas_tui.ui.widgets.transfer_panel import TransferPanel

T = TypeVar("T")


class FlowStopped(Exception):
    """A step of a dialog flow failed or was cancelled; the error handler has
    already told the user, so the flow just ends."""


class AllasApp(OperationKeys, CrashGuardedApp):
    """Browse Allas over Swift or S3, and move data both ways."""

    CSS_PATH = "app.tcss"
    TITLE = "allas-tui"
    BINDINGS: ClassVar[list[BindingType]] = APP_KEYS

    class Connected(Message):
        """The storage worker logged in."""

        def __init__(
            self, profile: ConnectionProfile, backend: StorageBackend, buckets: list[BucketInfo]
        ) -> None:
            super().__init__()
            self.profile = profile
            self.backend = backend
            self.buckets = buckets

    class PageListed(Message):
        """A page of rows for the table."""

        def __init__(self, page: RowPage, done: bool) -> None:
            super().__init__()
            self.page = page
            self.done = done

    def __init__(
        self,
        profile: ConnectionProfile | None,
        settings: TransferSettings | None = None,
        discovery: Discovery | None = None,
        keymap: Mapping[str, str] | None = None,
        clock: Callable[[], float] | None = None,
        journal: Journal | None = None,
        warnings: Iterable[str] = (),
        config_path: Path | None = None,
        limits: AllasLimits | None = None,
        profiles: Iterable[ConnectionProfile] = (),
    ) -> None:
        """Open `profile`, or the demo store when it is None. With a `discovery`
        and no profile, first say where credentials were looked for. With a
        `journal`, transfers survive the app and unfinished ones are offered.
        `warnings` are shown as the app starts (files exposing a secret).
        Bookmarks are kept in the config file at `config_path`; `limits` are
        Allas's, unless the config file says the project has others. `profiles`
        are the other logins found, offered by the project switch."""
        super().__init__()
        self.profile = profile
        self.settings = settings or TransferSettings()
        self.discovery = discovery
        self.user_keymap = dict(keymap or {})
        self.clock = clock
        """Where the transfer queue gets times (tests fix it)."""
        self.backend: StorageBackend | None = None
        self.queue: TransferQueue | None = None
        self.journal = journal
        self.start_warnings = list(warnings)
        self.location = Location()
        """What the object table shows."""
        self.buckets: list[BucketInfo] = []
        self.operations = Operations(self, limits or AllasLimits())
        self.relogin = ReloginFlow(self)
        self._generation = 0
        self._return_to: str | None = None
        self.show_segments = False
        """Whether segment buckets and folders are listed (`.` toggles)."""
        self.true_sizes = TrueSizes(self)
        self.bookmarks = BookmarkFlow(self, config_path)
        self.switching = ProjectSwitch(self, list(profiles))
        self._demo_store: object | None = None

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="header")
        with Vertical(id="main"):
            with Horizontal(id="panes"):
                tree = BucketTree(id="buckets")
                tree.border_title = "Buckets"
                yield tree
                pane = ObjectPane(id="object-pane")
                pane.border_title = "Objects"
                yield pane
            panel = TransferPanel(id="transfers")
            panel.border_title = "Transfers (t hides)"
            yield panel
        yield Static("Connecting...", id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.user_keymap:
            self.set_keymap(self.user_keymap)
        for warning in self.start_warnings:
            self.notify(
                visible(warning), title="A secret others can read", severity="warning", timeout=30
            )
        if self.profile is None and self.discovery is not None:
            self.push_screen(NoCredentialsScreen(self.discovery))
        self.query_one(ObjectTable).reset("Connecting...")
        self.set_interval(0.25, self.operations.poll_transfers)
        self.connect()

    # -- the one error handler -------------------------------------------------
    def crash_secrets(self) -> list[str]:
        """What a crash report must not hold: the login's secrets."""
        return secrets_of(self.profile, self.backend)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place worker failures become messages for the user."""
        if event.state is not WorkerState.ERROR or isinstance(event.worker.error, FlowStopped):
            return
        self.report_error(event.worker.error, event.worker.group)
        if event.worker.name == "connect":
            self._show_login_failed(event.worker.error)

    def _show_login_failed(self, error: BaseException | None) -> None:
        def chosen(choice: str | None) -> None:
            if choice == "retry":
                self.set_status("Connecting...")
                self.connect()
            else:
                self.exit(1, return_code=1)

        self.push_screen(LoginFailedScreen.about(self.profile, error), chosen)

    def report_error(self, error: BaseException | None, group: str = "") -> None:
        """Tell the user what went wrong and what to do next."""
        if isinstance(error, StorageError):
            text = str(error) + (f"\n{error.hint}" if error.hint else "")
        else:
            text = f"Unexpected error: {type(error).__name__}: {error}"
        first_line = visible(text.splitlines()[0])
        if isinstance(error, TokenExpired) and self.relogin.token_expired():
            text = first_line = "The token has expired: log in again to go on."
        if group == "listing":
            self.query_one(ObjectTable).set_placeholder(first_line)
            self.query_one(ObjectPane).update_subtitle("listing failed")
        self.set_status(first_line)
        # each line made visible on its own: visible() would write the line break as "\n"
        shown = "\n".join(visible(line) for line in text.splitlines())
        self.notify(shown, title="Allas", severity="error", timeout=10, markup=False)

    def set_status(self, line: str) -> None:
        """Show one line in the status bar (as text, never markup)."""
        self.query_one("#status", Static).update(safe_text(line))

    async def in_thread(self, call: Callable[[], T], name: str, group: str = "storage") -> T:
        """Run a blocking call in a named thread worker and wait for it. A failure
        goes to the error handler and stops the calling flow."""
        worker: Worker[T] = self.run_worker(
            call, name=name, group=group, thread=True, exit_on_error=False
        )
        try:
            return await worker.wait()
        except (WorkerFailed, WorkerCancelled) as exc:
            raise FlowStopped(name) from exc

    # -- connecting --------------------------------------------------------------
    @work(thread=True, group="storage", name="connect", exclusive=True, exit_on_error=False)
    def connect(self) -> None:
        """Log in (starting the demo store if need be) and list the buckets,
        which proves the login works."""
        profile = self.profile or self._start_demo()
        backend = self.backend or open_backend(profile, self.settings)
        buckets = backend.list_buckets()
        with contextlib.suppress(StorageError):  # without it, the header just has no countdown
            backend.learn_token_expiry()
        self.post_message(self.Connected(profile, backend, buckets))

    def _start_demo(self) -> ConnectionProfile:
        from allas_tui.demo_store import DemoStore, seed_demo

        store = DemoStore()
        self._demo_store = store
        profile = store.start()
        seed_demo(profile)
        self.profile = profile
        return profile

    def on_allas_app_connected(self, message: Connected) -> None:
        """Wire the panes to the backend and list the buckets."""
        self.backend = message.backend
        self.operations.transfers.attach(message.backend)
        self.query_one(TransferPanel).queue = self.queue
        self.query_one(BucketTree).backend = message.backend
        self.query_one(StatusHeader).show_connection(message.profile, message.backend)
        self.set_status(f"Connected with {message.profile.name} ({message.profile.source})")
        self.open_location(Location(), listed=message.buckets)
        self.query_one(ObjectTable).focus()
        self.operations.start("check limits", self.operations.project.warn_if_near)

    # -- listing ----------------------------------------------------------------
    def open_location(
        self,
        location: Location,
        return_to: str | None = None,
        listed: list[BucketInfo] | None = None,
    ) -> None:
        """Show `location` in the table, listing it page by page (or showing
        the buckets `listed` just now)."""
        same_place = location == self.location
        self.location = location
        self._return_to = return_to
        self._generation += 1
        pane = self.query_one(ObjectPane)
        pane.border_title = safe_text(location.label)
        if not same_place:
            pane.forget_filter()
        pane.table.reset("Listing...", keep_marks=same_place)
        pane.hidden_segments = pane.scanned_names = 0
        pane.update_subtitle("listing...")
        if listed is not None:
            page = bucket_page(location, self._generation, listed, self.show_segments)
            self.post_message(self.PageListed(page, True))
            return
        self.list_location(location, self._generation)

    @work(thread=True, group="listing", name="list", exclusive=True, exit_on_error=False)
    def list_location(self, location: Location, generation: int) -> None:
        """List `location`; a newer listing cancels this one."""
        worker = get_current_worker()
        worker.name = f"list {visible(location.label)}"
        if self.backend is None:
            return
        pages = row_pages(
            self.backend, location, generation, lambda: worker.is_cancelled, self.show_segments
        )
        for page in pages:
            self.post_message(self.PageListed(page, done=False))
        if not worker.is_cancelled:
            self.post_message(self.PageListed(RowPage(location, generation, []), done=True))

    def on_allas_app_page_listed(self, message: PageListed) -> None:
        """Add a page of rows, unless it belongs to an older listing."""
        page = message.page
        if page.generation != self._generation:
            return
        pane = self.query_one(ObjectPane)
        table = pane.table
        table.store.extend(page.rows)
        table.rows_changed()
        pane.hidden_segments += page.hidden
        pane.scanned_names += page.scanned
        if page.buckets is not None:
            self.buckets = page.buckets
            tree = self.query_one(BucketTree)
            tree.show_buckets(self.visible_buckets(), self.bookmarks.locations())
        if self._return_to is not None and self._return_to in {r.key for r in page.rows}:
            table.move_to_key(self._return_to)
            self._return_to = None
        loaded = table.store.loaded
        if message.done:
            table.store.prune_marks()
            table.set_placeholder(empty_text(page.location))
            pane.presort()
            settle_large_listing(loaded)
            label = visible(page.location.label)
            if page.location.pattern:
                searched = f"{pane.scanned_names:,} names searched"
                pane.update_subtitle(searched)
                self.set_status(f"{label}: {loaded:,} found, {searched}")
            else:
                pane.update_subtitle()
                self.set_status(f"{label}: {loaded:,} entries")
        elif page.location.pattern:
            pane.update_subtitle(f"searching... {pane.scanned_names:,} names looked at")
        else:
            pane.update_subtitle(f"listing... {loaded:,} so far")
            self.set_status(f"Listing... {loaded:,} objects so far")

    # -- navigation ---------------------------------------------------------------
    def on_object_table_opened(self, message: ObjectTable.Opened) -> None:
        """Enter on a row: into a bucket or folder, or an object's details."""
        row = message.row
        if row.kind is RowKind.OBJECT and self.location.pattern:  # a found object: its folder
            self.open_location(self.location.folder_of(row.key), return_to=row.key)
        elif row.kind is RowKind.OBJECT:
            self.operations.details()
        else:
            self.open_location(self.location.child(row.key))

    def on_bucket_tree_open(self, message: BucketTree.Open) -> None:
        """Enter on a tree node shows it in the table."""
        self.open_location(message.location)

    def action_up(self) -> None:
        """Up one level, with the cursor on where we came from."""
        location = self.location
        if location.bucket is None:
            return
        came_from = location.prefix or location.bucket
        self.open_location(location.parent, return_to=came_from)

    def action_refresh(self) -> None:
        """List the current location again."""
        self.open_location(self.location)

    def refresh_listing(self) -> None:
        """List the current location again, keeping the cursor on its row."""
        self.open_location(self.location, return_to=cursor_key(self))

    def visible_buckets(self) -> list[BucketInfo]:
        """The buckets listed, without segment buckets unless they are shown."""
        return shown_buckets(self.buckets, self.show_segments)

    def action_toggle_segments(self) -> None:
        """Show or hide segment storage, and list again."""
        self.show_segments = not self.show_segments
        self.refresh_listing()

    def on_object_table_heads_wanted(self, message: ObjectTable.HeadsWanted) -> None:
        """HEAD the rows on screen whose listing left their size or kind in doubt."""
        self.true_sizes.fetch(message.rows)

    def action_log_in_again(self) -> None:
        if not self.relogin.token_expired(by_user=True):
            self.notify("This login needs no password typed here.", markup=False)

    def action_toggle_transfers(self) -> None:
        """Show or hide the transfer panel."""
        panel = self.query_one(TransferPanel)
        panel.display = not panel.display

    def action_help(self) -> None:
        """Show every key."""
        self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The command palette: every action, named `area: verb`."""
        yield from palette_commands(self, screen)
        yield from super().get_system_commands(screen)

    def on_unmount(self) -> None:
        if self.queue is not None:
            self.queue.shutdown()
        from allas_tui.demo_store import DemoStore

        if isinstance(self._demo_store, DemoStore):
            self._demo_store.stop()
