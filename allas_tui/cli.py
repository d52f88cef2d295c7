"""The command line: `allas-tui [options]` and `python -m allas_tui`."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from allas_tui import __version__
from allas_tui.config import ConfigError, default_config_path, load_config
from allas_tui.headless import resume_without_ui
from allas_tui.storage.discovery import Discovery, choose_profile, discover
from allas_tui.storage.errors import NoCredentials, StorageError
from allas_tui.storage.models import Protocol
from allas_tui.storage.profiles import ConnectionProfile, open_backend
from allas_tui.storage.settings import TransferSettings
from allas_tui.transfers.journal import Journal, default_journal_path

CREDENTIALS_HELP = f"""\
where credentials are looked for, most preferred first:
  1. allas-conf's token: OS_AUTH_TOKEN + OS_STORAGE_URL (Swift; with OS_PASSWORD
     too, allas-tui logs in again when the token expires)
  2. OpenStack logins (Swift, Keystone v3):
     --rc FILE      an openrc file; its `export OS_*=...` lines are read, never run
     OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME... from a sourced RC file
     OS_CLOUD       a cloud in clouds.yaml (./, ~/.config/openstack/, /etc/openstack/)
     Without OS_PASSWORD, the password is asked for in a masked prompt.
     OS_CACERT names a CA file to trust for Keystone and Swift.
  3. S3 keys: boto3's chain (AWS_ACCESS_KEY_ID, AWS_PROFILE, ~/.aws/credentials,
     ~/.aws/config with endpoint_url), and rclone's [s3allas-*] remotes in
     ~/.config/rclone/rclone.conf. AWS_CA_BUNDLE or ca_bundle in ~/.aws/config
     name a CA file for S3. Without an endpoint, S3 goes to https://a3s.fi.
  Profiles named in the config file ({default_config_path()}) are offered too.
  With no credentials at all, allas-tui opens its built-in demo store.
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; its help is the reference for every option."""
    parser = argparse.ArgumentParser(
        prog="allas-tui",
        description="A keyboard-driven terminal browser for CSC Allas, over Swift and S3.",
        epilog=CREDENTIALS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--profile",
        metavar="NAME",
        help="use this profile: a config-file profile, an ~/.aws profile (aws:NAME), "
        "an rclone remote (rclone:NAME), 'allas-conf', 'openstack', 'rc' or 'demo'",
    )
    parser.add_argument(
        "--protocol",
        choices=[p.value for p in Protocol],
        help="only consider logins for this protocol",
    )
    parser.add_argument(
        "--endpoint",
        metavar="URL",
        help="talk to this URL instead: the S3 endpoint, or the Swift storage URL",
    )
    parser.add_argument("--rc", metavar="FILE", type=Path, help="read an OpenStack RC file")
    parser.add_argument(
        "--config", metavar="FILE", type=Path, help=f"config file (default {default_config_path()})"
    )
    parser.add_argument("--demo", action="store_true", help="open the built-in demo store")
    parser.add_argument(
        "command",
        nargs="?",
        choices=["resume"],
        help="resume: run the unfinished transfers of the last session (with --no-ui, "
        "without a screen, printing progress; for tmux and batch jobs)",
    )
    parser.add_argument(
        "--no-ui", action="store_true", help="with resume: run the transfers without a screen"
    )
    parser.add_argument(
        "--journal",
        metavar="FILE",
        type=Path,
        help=f"the transfer journal (default {default_journal_path()})",
    )
    parser.add_argument(
        "--list-profiles",
        action="store_true",
        help="print the logins found, and where they were looked for, then exit",
    )
    parser.add_argument("--version", action="version", version=f"allas-tui {__version__}")
    return parser


def _print_discovery(discovery: Discovery) -> None:
    for where, found in discovery.looked_for:
        print(f"{where}\n    {found}")
    print()
    for profile in discovery.profiles:
        print(f"{profile.name:30} {profile.protocol.value:6} {profile.source}")
    for warning in discovery.warnings:
        print(f"\nwarning: {warning}")


def _ask_password(profile: ConnectionProfile) -> ConnectionProfile:
    login = profile.swift
    assert login is not None
    if not sys.stdin.isatty():
        raise NoCredentials("OS_PASSWORD is not set, and there is no terminal to ask for it.")
    prompt = f"Password for {login.username} ({login.project_label or login.auth_url}): "
    return profile.with_password(getpass.getpass(prompt))


def demo_is_fallback(args: argparse.Namespace, profile: ConnectionProfile | None) -> bool:
    """True when the demo opens because no login was found (so the app says
    where it looked), not because --demo or --profile demo asked for it."""
    return profile is None and not (args.demo or args.profile == "demo")


def _resume_without_ui(
    args: argparse.Namespace, profile: ConnectionProfile | None, settings: TransferSettings
) -> int:
    if args.command != "resume":
        print("allas-tui: --no-ui goes with the resume command.", file=sys.stderr)
        return 2
    if profile is None:
        print("allas-tui: no login found to resume transfers with.", file=sys.stderr)
        return 2
    try:
        backend = open_backend(profile, settings)
        return resume_without_ui(backend, Journal(args.journal))
    except StorageError as exc:
        print(f"allas-tui: {exc}", file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    """Run allas-tui; the exit status."""
    args = build_parser().parse_args(argv)
    try:
        config = load_config(args.config)
        discovery = discover(
            rc_file=args.rc, config_profiles=config.profiles, config_path=config.path
        )
    except (ConfigError, NoCredentials) as exc:
        print(f"allas-tui: {exc}", file=sys.stderr)
        return 2
    if args.list_profiles:
        _print_discovery(discovery)
        return 0
    profile: ConnectionProfile | None = None
    if not args.demo and args.profile != "demo":
        protocol = Protocol(args.protocol) if args.protocol else None
        explicit = bool(args.profile or args.protocol or args.rc)
        try:
            profile = choose_profile(
                discovery, name=args.profile, protocol=protocol, default_name=config.default_profile
            )
            if profile.needs_password:
                profile = _ask_password(profile)
        except NoCredentials as exc:
            if explicit:
                print(f"allas-tui: {exc}", file=sys.stderr)
                return 2
        except (KeyboardInterrupt, EOFError):
            return 130
        if profile is not None and args.endpoint:
            profile = profile.with_endpoint(args.endpoint)

    if args.no_ui:
        return _resume_without_ui(args, profile, config.transfers)

    from allas_tui.ui.app import AllasApp

    fallback = demo_is_fallback(args, profile)
    app = AllasApp(
        profile=profile,
        settings=config.transfers,
        discovery=discovery if fallback else None,
        keymap=config.keys,
        journal=Journal(args.journal),
        warnings=discovery.warnings,
        config_path=config.path,
        limits=config.limits,
        profiles=discovery.profiles,
    )
    app.run()
    return int(app.return_code or 0)
