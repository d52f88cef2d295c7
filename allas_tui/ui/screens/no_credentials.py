"""The screen shown when no login was found: where allas-tui looked, and how to log in."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from allas_tui.storage.discovery import Discovery

HOW_TO = """\
To open your Allas project, do one of these and start allas-tui again:
  - on Puhti, Mahti or LUMI:  module load allas && allas-conf   (Swift)
  - or:                       allas-conf -m S3                 (S3 keys in ~/.aws)
  - or give an OpenStack RC file:  allas-tui --rc project_2001234-openrc.sh
allas-tui --help lists every place and option."""


class NoCredentialsScreen(ModalScreen[None]):
    """Says what was looked for; Enter goes on to the built-in demo store."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "dismiss", "Open the demo store", id="continue-demo"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    def __init__(self, discovery: Discovery) -> None:
        super().__init__()
        self.discovery = discovery

    def compose(self) -> ComposeResult:
        table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
        table.add_column("Looked for")
        table.add_column("Found")
        for where, found in self.discovery.looked_for:
            table.add_row(Text(where), Text(found))
        with Vertical(id="no-credentials"):
            yield Static(Text("No Allas login was found", style="bold"), id="title")
            yield Static(table)
            yield Static(Text(HOW_TO), id="how-to")
            yield Static(Text("Enter: open the built-in demo store    q: quit", style="italic"))
