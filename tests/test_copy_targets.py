"""Where a copy or move goes, read from what the user typed (no server)."""

from __future__ import annotations

from allas_tui.transfers.copy_targets import (
    Destination,
    Picked,
    parse_destination,
    plan_picks,
    plan_problem,
)
from allas_tui.transfers.walking import CopyPick


def test_destinations_as_typed_or_pasted() -> None:
    assert parse_destination("  b/x/y/ ") == Destination("b", "x/y/")
    assert parse_destination("s3://b/new.txt") == Destination("b", "new.txt")
    assert parse_destination("swift://b") == Destination("b", "")
    assert parse_destination("/b/a") == Destination("b", "a")
    assert Destination("b", "a").folder == "a/"
    assert Destination("b", "").folder == ""


def test_one_thing_and_a_name_is_a_rename() -> None:
    obj = [Picked("runs/a.txt", 5)]
    assert plan_picks(obj, "runs/", Destination("b", "runs/b.txt")) == [
        CopyPick("runs/a.txt", "runs/b.txt", 5)
    ]
    folder = [Picked("runs/")]
    assert plan_picks(folder, "", Destination("b", "old-runs")) == [CopyPick("runs/", "old-runs/")]
    whole_bucket = [Picked("")]
    assert plan_picks(whole_bucket, "", Destination("c", "from-b")) == [CopyPick("", "from-b/")]


def test_a_folder_destination_keeps_the_names() -> None:
    picked = [Picked("runs/a.txt", 1), Picked("runs/sub/")]
    assert plan_picks(picked, "runs/", Destination("c", "archive")) == [
        CopyPick("runs/a.txt", "archive/a.txt", 1),
        CopyPick("runs/sub/", "archive/sub/"),
    ]
    assert plan_picks([Picked("runs/a.txt")], "runs/", Destination("c", "")) == [
        CopyPick("runs/a.txt", "a.txt")
    ]


def test_what_cannot_be_done_is_said() -> None:
    here = Destination("b", "runs/a.txt")
    assert plan_problem("b", [CopyPick("runs/a.txt", "runs/a.txt")], here) == (
        "That is where it is now: change the name or the folder."
    )
    into = plan_problem("b", [CopyPick("runs/", "runs/deeper/")], Destination("b", "runs/deeper"))
    assert into == "The folder 'runs/' cannot go into itself."
    bucket_into_itself = plan_problem("b", [CopyPick("", "x/")], Destination("b", "x"))
    assert bucket_into_itself == "The bucket 'b' cannot go into itself."
    # the same names in another bucket are fine
    assert plan_problem("b", [CopyPick("runs/", "runs/")], Destination("c", "")) is None
    assert plan_problem("b", [], Destination("c", "")) == "Nothing to copy."
