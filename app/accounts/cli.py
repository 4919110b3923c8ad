"""``python -m app accounts create|list|key|revoke``: the operator's tools, on the server's store.

A new key is printed once and never again (only its digest is stored): whoever runs ``create``
or ``key`` hands it to the account's user.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from app.accounts.directory import Directory, UnknownAccount
from app.settings import Settings
from app.store.interface import StoreError

DEFAULT_BALANCE = 100_000.0
STORE_HELP = "the server's store (env STORE_URL; memory: is refused)"


def add_commands(commands: Any) -> None:
    accounts = commands.add_parser("accounts", help="create accounts and manage their API keys")
    accounts.add_argument("--store", help=STORE_HELP)
    store = argparse.ArgumentParser(add_help=False)
    store.add_argument("--store", default=argparse.SUPPRESS, help=STORE_HELP)
    actions = accounts.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", parents=[store], help="a new account and its first API key (shown once)")
    create.add_argument("name")
    create.add_argument("--balance", type=float, default=DEFAULT_BALANCE, help="starting balance (100000)")
    actions.add_parser("list", parents=[store], help="accounts and their keys (ids only)")
    key = actions.add_parser("key", parents=[store], help="another API key for an account (shown once)")
    key.add_argument("account_id")
    revoke = actions.add_parser("revoke", parents=[store], help="revoke a key: it stops working within a second")
    revoke.add_argument("key_id")


def run(args: argparse.Namespace) -> int:
    try:
        url = args.store or Settings.from_env().store_url
        directory = Directory(url)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(_run(directory, args))
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


async def _run(directory: Directory, args: argparse.Namespace) -> int:
    await directory.open()
    try:
        return await _action(directory, args)
    finally:
        await directory.close()


async def _action(directory: Directory, args: argparse.Namespace) -> int:
    if args.action == "create":
        if not args.balance > 0:
            print(f"error: --balance must be positive, not {args.balance}", file=sys.stderr)
            return 2
        account, key = await directory.create_account(args.name, args.balance)
        print(f"account {account.id} ({account.name}, {account.balance:g} {account.currency})")
        print(f"key {key.key_id}: {key.token}")
        print("The key is shown only now: keep it.", file=sys.stderr)
        return 0
    if args.action == "key":
        try:
            key = await directory.add_key(args.account_id)
        except UnknownAccount as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"key {key.key_id}: {key.token}")
        return 0
    if args.action == "revoke":
        if not await directory.revoke(args.key_id):
            print(f"error: no live key {args.key_id}", file=sys.stderr)
            return 1
        print(f"revoked {args.key_id}")
        return 0
    keys = await directory.keys()
    for account in await directory.accounts():
        print(f"{account.id}\t{account.name}\t{account.balance:g} {account.currency}")
        for info in keys:
            if info.account_id == account.id:
                print(f"  {info.key_id}\t{'revoked' if info.revoked else 'live'}")
    return 0
