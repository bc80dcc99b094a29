"""``analytics users add NAME --role 审核 --region 省/市/区县 [--password-stdin]``, ``users list``,
``users remove NAME``: the app's accounts (``src/analytics/accounts.py``)."""

from __future__ import annotations

import getpass
import sys


def configure(p):
    p.add_argument("--file", help="账户文件 (default: $ANALYTICS_USERS or var/users.toml)")
    sub = p.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="添加账户", description="添加账户（口令只保存其 Argon2 哈希）")
    add.add_argument("name", help="账户名")
    add.add_argument("--role", required=True, help="角色：查看、审核或管理")
    add.add_argument("--region", default="", help="地区：省/市/区县（可只写前一两级）或区划代码；不写为全部地区")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取口令（第一行）")
    add.add_argument("--oidc", action="store_true",
                     help="只通过统一身份认证（OIDC）登录、没有口令的账户；账户名为其电子邮件地址")
    sub.add_parser("list", help="列出账户", description="列出账户（不显示口令）")
    rm = sub.add_parser("remove", help="删除账户", description="删除账户")
    rm.add_argument("name", help="账户名")


def _password(from_stdin: bool) -> str:
    from ..accounts import AccountError

    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise AccountError("没有终端可输入口令：请用 --password-stdin 从标准输入提供")
    first = getpass.getpass("口令：")
    if getpass.getpass("再次输入口令：") != first:
        raise AccountError("两次输入的口令不一致")
    return first


def run(args) -> int:
    from .. import accounts

    path = accounts.users_path() if args.file is None else args.file
    if args.action == "add":
        name = accounts.check_name(args.name)
        accounts.check_role(args.role)
        region = accounts.parse_region(args.region)
        password = None if args.oidc else _password(args.password_stdin)
        account = accounts.add(name, args.role, region, password, path)
        print(f"已添加账户 {account.name}（{account.role}，{account.region.label()}），账户文件：{path}")
    elif args.action == "list":
        found = accounts.load(path)
        if not found:
            print(f"没有账户（{path} 不存在或为空）：看板以本地单用户模式运行")
        for a in sorted(found.values(), key=lambda a: a.name):
            print(f"{a.name}\t{a.role}\t{a.region.label()}\t{a.created}")
    else:
        accounts.remove(args.name, path)
        print(f"已删除账户 {args.name}")
    return 0
