"""The account store (``analytics.accounts``) and ``analytics users`` through a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from analytics import accounts
from analytics.accounts import AccountError, Forbidden, Region

ROOT = Path(__file__).resolve().parents[1]


def test_a_password_is_stored_only_as_an_argon2_hash(tmp_path):
    path = tmp_path / "users.toml"
    accounts.add("张三", "审核", Region("江苏省", "淮安市", "洪泽区"), "很长的口令-123", path)
    text = path.read_text(encoding="utf-8")
    assert "很长的口令-123" not in text
    entry = tomllib.loads(text)["users"]["张三"]
    assert entry["password_hash"].startswith("$argon2id$")
    assert (entry["role"], entry["county"]) == ("审核", "洪泽区")
    assert path.stat().st_mode & 0o077 == 0  # the owner's only
    assert [p.name for p in tmp_path.iterdir()] == ["users.toml"]  # no temporary file left


def test_verify_accepts_only_the_right_password(tmp_path):
    path = tmp_path / "users.toml"
    accounts.add("李四", "查看", Region(), "correct horse", path)
    account = accounts.verify("李四", "correct horse", path)
    assert account is not None and account.role == "查看" and account.region.everywhere
    assert accounts.verify("李四", "correct horsE", path) is None
    assert accounts.verify("李四", "", path) is None
    assert accounts.verify("王五", "correct horse", path) is None


def test_roles_include_the_ones_below():
    def acct(role):
        return accounts.Account("x", role, Region())

    assert [a for a in accounts.NEEDS if acct("查看").can(a)] == ["read"]
    assert [a for a in accounts.NEEDS if acct("审核").can(a)] == ["read", "decide", "correct"]
    assert all(acct("管理").can(a) for a in accounts.NEEDS)
    with pytest.raises(Forbidden, match="需要“审核”"):
        accounts.require(acct("查看"), "decide")
    accounts.require(None, "import")  # local single-user mode: allowed


def test_remove_and_duplicates(tmp_path):
    path = tmp_path / "users.toml"
    accounts.add("a1", "管理", Region(), "password-1", path)
    accounts.add("a2", "查看", Region("上海市"), "password-2", path)
    with pytest.raises(AccountError, match="已存在"):
        accounts.add("a1", "查看", Region(), "password-3", path)
    accounts.remove("a1", path)
    assert list(accounts.load(path)) == ["a2"]
    assert accounts.verify("a1", "password-1", path) is None
    with pytest.raises(AccountError, match="没有名为"):
        accounts.remove("a1", path)


def test_regions_from_names_and_division_codes():
    assert accounts.parse_region("江苏省/淮安市/洪泽区") == Region("江苏省", "淮安市", "洪泽区")
    assert accounts.parse_region("320813") == Region("江苏省", "淮安市", "洪泽区")
    assert accounts.parse_region("320800") == Region("江苏省", "淮安市")
    assert accounts.parse_region("北京市//朝阳区") == Region("北京市", None, "朝阳区")
    assert accounts.parse_region("").everywhere
    with pytest.raises(AccountError):
        accounts.parse_region("999999")
    region = Region("演示省", "演示市", "甲区")
    assert region.contains("演示省", "演示市", "甲区") and not region.contains("演示省", "演示市", "乙县")
    assert not region.contains("演示省", "演示市", None)


def test_a_broken_account_file_is_one_chinese_line(tmp_path):
    path = tmp_path / "users.toml"
    path.write_text("[users.x]\nrole = '老板'\n", encoding="utf-8")
    with pytest.raises(AccountError, match="角色缺失或无效"):
        accounts.load(path)
    path.write_text("[users\n", encoding="utf-8")
    with pytest.raises(AccountError, match="格式错误"):
        accounts.load(path)


def _cli(*args, stdin: str = "", env_file: Path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "ANALYTICS_USERS": str(env_file)}
    return subprocess.run([sys.executable, "-m", "analytics.cli", "users", *args], input=stdin,
                          capture_output=True, text=True, env=env, timeout=60)


def test_users_command(tmp_path):
    path = tmp_path / "var" / "users.toml"
    added = _cli("add", "张三", "--role", "审核", "--region", "320813", "--password-stdin",
                 stdin="一个足够长的口令\n", env_file=path)
    assert added.returncode == 0, added.stderr
    assert "江苏省/淮安市/洪泽区" in added.stdout
    assert accounts.verify("张三", "一个足够长的口令", path) is not None
    listed = _cli("list", env_file=path)
    assert listed.returncode == 0 and listed.stdout.startswith("张三\t审核\t江苏省/淮安市/洪泽区\t")
    assert "argon2" not in listed.stdout

    for args, stdin, message in [
        (("add", "李四", "--role", "老板", "--password-stdin"), "password-123\n", "未知角色“老板”"),
        (("add", "李四", "--role", "查看", "--password-stdin"), "short\n", "口令太短"),
        (("add", "李四", "--role", "查看", "--region", "不存在/a/b/c", "--password-stdin"), "password-123\n",
         "无法识别"),
        (("add", "张三", "--role", "查看", "--password-stdin"), "password-123\n", "已存在"),
        (("remove", "王五"), "", "没有名为“王五”的账户"),
        (("add", "李四", "--role", "查看"), "", "--password-stdin"),  # no terminal to type it on
    ]:
        bad = _cli(*args, stdin=stdin, env_file=path)
        assert bad.returncode == 2, (args, bad.stdout, bad.stderr)
        assert message in bad.stderr and len(bad.stderr.strip().splitlines()) == 1, bad.stderr

    removed = _cli("remove", "张三", env_file=path)
    assert removed.returncode == 0 and "已删除账户 张三" in removed.stdout
    assert _cli("list", env_file=path).stdout.startswith("没有账户")


def test_an_oidc_account_has_no_password_to_guess(tmp_path):
    path = tmp_path / "users.toml"
    accounts.add("zhang.san@example.gov.cn", "审核", Region("江苏省"), None, path)
    assert tomllib.loads(path.read_text(encoding="utf-8"))["users"]["zhang.san@example.gov.cn"]["password_hash"] == ""
    assert accounts.verify("zhang.san@example.gov.cn", "", path) is None
    assert accounts.verify("zhang.san@example.gov.cn", "anything-at-all", path) is None
    assert accounts.load(path)["zhang.san@example.gov.cn"].region == Region("江苏省")
