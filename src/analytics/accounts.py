"""The app's accounts: who may sign in, with which role, over which region.

The account file is TOML (``$ANALYTICS_USERS``, else ``var/users.toml`` under the project root),
one table per account under ``[users.NAME]`` with its role, region and an Argon2id hash of its
password (argon2-cffi); a password itself is never written. The file is replaced atomically
(written beside itself, then renamed), readable by its owner only. Without the file the app runs
in single-user local mode, as before accounts existed.

Roles, each including the ones before it: 查看 reads, 审核 also decides findings and corrects
cells, 管理 also imports reports and manages accounts. A region is a place as the warehouse's
``agencies`` table names it (province, city, county; any part may be left open), or the whole
warehouse; a division code is turned into those names when the account is added.
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime
from pathlib import Path

from .errors import ReportError

ROLES = ("查看", "审核", "管理")
# What each action needs; a role may do whatever a role before it in ROLES may.
NEEDS = {"read": "查看", "decide": "审核", "correct": "审核", "import": "管理", "users": "管理"}
ACTION_ZH = {"read": "查看数据", "decide": "处理检查发现", "correct": "更正单元格", "import": "导入报告",
             "users": "管理账户"}
ALL_REGIONS = "全部地区"
_NAME = re.compile(r"^[^\s/\\\"'\[\]=#]{1,80}$")
MIN_PASSWORD = 8


class AccountError(ReportError):
    reason = "account"
    label_zh = "账户错误"


class Forbidden(ReportError):
    """A step the signed-in account's role or region does not allow."""

    reason = "forbidden"
    label_zh = "无权操作"


@dataclass(frozen=True)
class Region:
    """A place as the agencies table names it; every part None is the whole warehouse."""

    province: str | None = None
    city: str | None = None
    county: str | None = None

    @property
    def everywhere(self) -> bool:
        return not (self.province or self.city or self.county)

    def label(self) -> str:
        return "/".join(p for p in (self.province, self.city, self.county) if p) or ALL_REGIONS

    def contains(self, province, city, county) -> bool:
        return all(want is None or want == got for want, got in
                   ((self.province, province), (self.city, city), (self.county, county)))

    def key(self) -> str:
        return "" if self.everywhere else "\x1f".join(p or "" for p in (self.province, self.city, self.county))


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    region: Region
    password_hash: str = ""
    created: str = ""

    def can(self, action: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(NEEDS[action])


def users_path() -> Path:
    env = os.environ.get("ANALYTICS_USERS")
    if env:
        return Path(env)
    from .warehouse.store import project_root

    return project_root() / "var" / "users.toml"


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"未知角色“{role}”：角色只能是 {'、'.join(ROLES)}")
    return role


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not _NAME.match(name):
        raise AccountError(f"账户名“{name}”不可用：须为 1 到 80 个字符，不含空白、斜杠、引号、方括号、等号或井号")
    return name


def parse_region(text: str | None) -> Region:
    """``省/市/区县`` names (a part may be left empty: ``北京市//朝阳区``), a GB/T 2260 division code
    (2, 4 or 6 digits, or 12 with zeros), or empty / 全部地区 for the whole warehouse."""
    text = (text or "").strip()
    if text in ("", ALL_REGIONS, "全部"):
        return Region()
    if text.isdigit():
        from .warehouse.places import place_of_code

        place = place_of_code(text)
        if place is None:
            raise AccountError(f"区划代码“{text}”不在行政区划表中")
        return Region(place.province, place.city, place.county)
    parts = [p.strip() or None for p in text.split("/")]
    if len(parts) > 3 or not any(parts):
        raise AccountError(f"地区“{text}”无法识别：请写“省/市/区县”（可只写前一两级），或写区划代码")
    parts += [None] * (3 - len(parts))
    return Region(*parts)


def _region_of(entry: dict) -> Region:
    return Region(entry.get("province") or None, entry.get("city") or None, entry.get("county") or None)


def load(path: Path | None = None) -> dict[str, Account]:
    """Every account of the file (empty when there is no file)."""
    path = Path(path) if path else users_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise AccountError(f"账户文件无法读取（{exc.strerror}）", str(path)) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AccountError(f"账户文件格式错误（{exc}）", str(path)) from None
    users = data.get("users", {})
    if not isinstance(users, dict):
        raise AccountError("账户文件格式错误（users 应为表）", str(path))
    accounts = {}
    for name, entry in users.items():
        if not isinstance(entry, dict) or entry.get("role") not in ROLES:
            raise AccountError(f"账户文件中“{name}”的角色缺失或无效", str(path))
        accounts[name] = Account(name, entry["role"], _region_of(entry), str(entry.get("password_hash", "")),
                                 str(entry.get("created", "")))
    return accounts


def enabled(path: Path | None = None) -> bool:
    """Whether the app has accounts: the account file exists."""
    return (Path(path) if path else users_path()).exists()


def _toml_str(value: str) -> str:
    # TOML basic strings take the escapes JSON writes; control characters are refused by names.
    import json

    return json.dumps(value, ensure_ascii=False)


def _dump(accounts: dict[str, Account]) -> str:
    lines = ["# 分析看板的账户（analytics users 管理；只保存口令的 Argon2 哈希）", ""]
    for a in sorted(accounts.values(), key=lambda a: a.name):
        lines.append(f"[users.{_toml_str(a.name)}]")
        lines.append(f"role = {_toml_str(a.role)}")
        for part in ("province", "city", "county"):
            value = getattr(a.region, part)
            if value:
                lines.append(f"{part} = {_toml_str(value)}")
        lines.append(f"password_hash = {_toml_str(a.password_hash)}")
        lines.append(f"created = {_toml_str(a.created)}")
        lines.append("")
    return "\n".join(lines)


def _save(path: Path, accounts: dict[str, Account]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".users-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(_dump(accounts))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def add(name: str, role: str, region: Region, password: str | None, path: Path | None = None,
        *, replace: bool = False) -> Account:
    """Add an account; ``password`` None makes one that signs in only through the OIDC provider
    (its name is the provider's e-mail address) and has no password at all."""
    path = Path(path) if path else users_path()
    name, role = check_name(name), check_role(role)
    if password is not None and len(password) < MIN_PASSWORD:
        raise AccountError(f"口令太短：至少 {MIN_PASSWORD} 个字符")
    accounts = load(path)
    if name in accounts and not replace:
        raise AccountError(f"账户“{name}”已存在（要更换角色、地区或口令请先删除）")
    digest = "" if password is None else _hasher().hash(password)
    account = Account(name, role, region, digest, datetime.now().isoformat(timespec="seconds"))
    accounts[name] = account
    _save(path, accounts)
    return account


def remove(name: str, path: Path | None = None) -> None:
    path = Path(path) if path else users_path()
    accounts = load(path)
    if name not in accounts:
        raise AccountError(f"没有名为“{name}”的账户")
    del accounts[name]
    _save(path, accounts)


def verify(name: str, password: str, path: Path | None = None) -> Account | None:
    """The account when ``password`` is its password, else None (an unknown name costs a hash too,
    so the time taken does not tell which names exist)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    account = load(path).get((name or "").strip())
    hasher = _hasher()
    stored = account.password_hash if account and account.password_hash else _dummy_hash()
    try:
        hasher.verify(stored, password or "")
    except (VerificationError, InvalidHashError):
        return None
    return account if account and account.password_hash else None


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash of a random password, verified against when the name is unknown."""
    import secrets

    return _hasher().hash(secrets.token_hex(16))


def require(account: Account | None, action: str) -> None:
    """Refuse ``action`` unless the account's role allows it (None: local single-user mode, allowed)."""
    if account is None or account.can(action):
        return
    raise Forbidden(f"当前账户“{account.name}”（{account.role}）无权{ACTION_ZH[action]}："
                    f"需要“{NEEDS[action]}”或更高角色")
