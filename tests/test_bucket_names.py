from __future__ import annotations

import pytest

from allas_tui.storage.bucket_names import bucket_name_problem, check_bucket_name
from allas_tui.storage.errors import InvalidBucketName


@pytest.mark.parametrize(
    "name",
    ["abc", "2001659-puhti-SCRATCH", "My_Bucket", "data.v2", "a" * 63, "project_2001234-raw"],
)
def test_valid(name: str) -> None:
    assert bucket_name_problem(name) is None
    check_bucket_name(name)


@pytest.mark.parametrize(
    "name,rule",
    [
        ("", "empty"),
        ("ab", "at least 3"),
        ("a" * 64, "at most 63"),
        ("has space", "not ' '"),
        ("a/b", "not '/'"),
        ("äbc", "not 'ä'"),
        ("-abc", "start and end"),
        ("abc_", "start and end"),
        ("a..b", "two periods"),
        ("192.168.1.1", "IP address"),
        ("bad\x1b[31m", "not '\\x1b'"),
    ],
)
def test_invalid_names_say_which_rule(name: str, rule: str) -> None:
    with pytest.raises(InvalidBucketName) as info:
        check_bucket_name(name)
    assert rule in str(info.value)
