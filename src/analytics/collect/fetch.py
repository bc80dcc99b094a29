"""HTTP for the collector: polite (robots.txt, one request per interval per host, a User-Agent that
names the tool), patient (retries with exponential backoff on timeouts and 5xx, from urllib3's
``Retry``), and thrifty (conditional requests with the validators of the last fetch).

Every failure is a ``FetchFailed`` whose message is one Chinese line naming the URL and the
reason, so that a batch can print it and go on.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib import robotparser
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .. import __version__
from ..errors import ReportError

AGENT_TOKEN = "analytics-collect"
# HTTP headers are Latin-1: the User-Agent says in ASCII what it is and that it obeys robots.txt.
USER_AGENT = (f"{AGENT_TOKEN}/{__version__} (+government information disclosure annual reports; "
              "obeys robots.txt; 1 request/s per host)")
DEFAULT_DELAY_S = 1.0  # one request per second per host unless robots.txt asks for more
DEFAULT_TIMEOUT_S = 20.0
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF_S = 1.0
MAX_BYTES = 200 * 1024 * 1024  # a report attachment is a few MB; anything this large is not one

_RETRY_STATUSES = (429, 500, 502, 503, 504)
_STATUS_ZH = {400: "请求无效", 401: "需要登录", 403: "拒绝访问", 404: "页面不存在", 410: "页面已删除",
              429: "请求过于频繁", 500: "服务器内部错误", 502: "网关错误", 503: "服务暂不可用",
              504: "网关超时"}


class FetchFailed(ReportError):
    reason = "fetch_failed"
    label_zh = "采集失败"

    def __init__(self, url: str, why: str):
        super().__init__(why, url)
        self.url = url

    def __str__(self) -> str:
        return f"采集失败 {self.url}：{self.message}"


@dataclass
class Page:
    """A fetched resource: the body as published and what the server said about it."""

    url: str  # as requested
    final_url: str  # after redirects: relative links are resolved from here
    body: bytes
    content_type: str = ""
    charset: str | None = None
    fetched_at: str = ""
    from_cache: bool = False  # a 304: the body is the one kept from the last fetch
    filename: str | None = None  # from Content-Disposition

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


@dataclass
class Stats:
    requests: int = 0
    not_modified: int = 0
    by_path: dict = field(default_factory=dict)  # path → how many requests reached the server

    def count(self, url: str) -> None:
        self.requests += 1
        path = urlsplit(url).path
        self.by_path[path] = self.by_path.get(path, 0) + 1


def now_iso() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


class Fetcher:
    """One session for a whole run: robots.txt read once per host, the pace kept per host."""

    def __init__(self, cache_dir: str | os.PathLike | None = None, *, delay: float = DEFAULT_DELAY_S,
                 timeout: float = DEFAULT_TIMEOUT_S, retries: int = DEFAULT_RETRIES,
                 backoff: float = DEFAULT_BACKOFF_S, max_bytes: int = MAX_BYTES,
                 user_agent: str = USER_AGENT):
        self.delay = delay
        self.timeout = timeout
        self.retries = retries
        self.max_bytes = max_bytes
        self.stats = Stats()
        self._robots: dict[str, tuple[robotparser.RobotFileParser | None, str | None]] = {}
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()
        self._cache = _Validators(Path(cache_dir)) if cache_dir else None
        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent
        retry = Retry(total=retries, connect=retries, read=retries, status=retries, other=0,
                      backoff_factor=backoff, backoff_max=max(backoff * 8, backoff),
                      status_forcelist=_RETRY_STATUSES, allowed_methods=("GET", "HEAD"),
                      respect_retry_after_header=True, raise_on_status=False)
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def close(self) -> None:
        self.session.close()
        if self._cache:
            self._cache.save()

    # -- politeness -------------------------------------------------------------------------------

    def allowed(self, url: str) -> str | None:
        """None when robots.txt lets this tool fetch ``url``; else the reason in Chinese."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        parser, refusal = self._robots[origin]
        if refusal:
            return refusal
        if parser is not None and not parser.can_fetch(AGENT_TOKEN, url):
            return "robots.txt 不允许抓取此路径"
        return None

    def _read_robots(self, origin: str):
        # RFC 9309: a robots.txt that is missing (4xx) allows everything; one the server cannot
        # give (5xx, no connection) forbids everything until it can be read.
        url = origin + "/robots.txt"
        self._pace(url)
        try:
            r = self.session.get(url, timeout=self.timeout)
        except requests.RequestException as exc:
            return None, f"无法读取 robots.txt（{_network_zh(exc, self.timeout)}），暂不抓取该站"
        if r.status_code >= 500:
            return None, f"无法读取 robots.txt（HTTP {r.status_code}），暂不抓取该站"
        if r.status_code >= 400:
            return None, None
        parser = robotparser.RobotFileParser(url)
        parser.parse(r.content.decode("utf-8", "replace").splitlines())
        delay = parser.crawl_delay(AGENT_TOKEN)
        if delay:
            self.delay = max(self.delay, float(delay))
        return parser, None

    def _pace(self, url: str) -> None:
        host = urlsplit(url).netloc
        with self._lock:
            wait = self._last.get(host, 0.0) + self.delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last[host] = time.monotonic()
        self.stats.count(url)

    # -- fetching ---------------------------------------------------------------------------------

    def get(self, url: str, *, conditional: bool = True) -> Page:
        """The resource at ``url``; with ``conditional``, a 304 gives back the body kept last time."""
        refusal = self.allowed(url)
        if refusal:
            raise FetchFailed(url, refusal)
        headers = {}
        kept = self._cache.get(url) if (conditional and self._cache) else None
        if kept:
            if kept.get("etag"):
                headers["If-None-Match"] = kept["etag"]
            if kept.get("last_modified"):
                headers["If-Modified-Since"] = kept["last_modified"]
        self._pace(url)
        try:
            r = self.session.get(url, headers=headers, timeout=self.timeout, stream=True)
        except requests.RequestException as exc:
            raise FetchFailed(url, _network_zh(exc, self.timeout, self.retries)) from None
        with r:
            if r.status_code == 304 and kept:
                body = self._cache.body(url)
                if body is not None:
                    self.stats.not_modified += 1
                    return Page(url, kept.get("final_url", url), body, kept.get("content_type", ""),
                                kept.get("charset"), now_iso(), from_cache=True, filename=kept.get("filename"))
            if r.status_code >= 400:
                tried = f"，已重试 {self.retries} 次" if r.status_code in _RETRY_STATUSES and self.retries else ""
                raise FetchFailed(url, f"HTTP {r.status_code}（{_STATUS_ZH.get(r.status_code, '请求失败')}）{tried}")
            if r.status_code != 200:
                raise FetchFailed(url, f"HTTP {r.status_code}（意外的应答）")
            body = self._read_body(url, r)
        page = Page(url, r.url, body, r.headers.get("Content-Type", ""), _header_charset(r), now_iso(),
                    filename=_disposition_name(r.headers.get("Content-Disposition", "")))
        if self._cache is not None and (r.headers.get("ETag") or r.headers.get("Last-Modified")):
            self._cache.put(page, r.headers.get("ETag"), r.headers.get("Last-Modified"))
        return page

    def _read_body(self, url: str, r) -> bytes:
        size = r.headers.get("Content-Length")
        if size and size.isdigit() and int(size) > self.max_bytes:
            raise FetchFailed(url, f"文件过大（{int(size) // 1048576} MB，上限 {self.max_bytes // 1048576} MB）")
        chunks, total = [], 0
        try:
            for chunk in r.iter_content(1 << 16):
                total += len(chunk)
                if total > self.max_bytes:
                    raise FetchFailed(url, f"文件过大（超过 {self.max_bytes // 1048576} MB）")
                chunks.append(chunk)
        except requests.RequestException as exc:
            raise FetchFailed(url, "下载中断（" + _network_zh(exc, self.timeout) + "）") from None
        return b"".join(chunks)


class _Validators:
    """ETag / Last-Modified of pages fetched before, with their bodies, so a rerun can ask
    "changed since?" and reuse the body on 304. Written atomically: a killed run leaves the
    last complete state."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.index = folder / "validators.json"
        try:
            self.entries = json.loads(self.index.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}

    def get(self, url: str) -> dict | None:
        return self.entries.get(url)

    def _body_path(self, url: str) -> Path:
        return self.folder / "bodies" / hashlib.sha1(url.encode("utf-8")).hexdigest()

    def body(self, url: str) -> bytes | None:
        try:
            return self._body_path(url).read_bytes()
        except OSError:
            return None

    def put(self, page: Page, etag: str | None, last_modified: str | None) -> None:
        path = self._body_path(page.url)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, page.body)
        self.entries[page.url] = {"etag": etag, "last_modified": last_modified, "final_url": page.final_url,
                                  "content_type": page.content_type, "charset": page.charset,
                                  "filename": page.filename}
        self.save()

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(self.index, json.dumps(self.entries, ensure_ascii=False, indent=0).encode("utf-8"))


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _header_charset(r) -> str | None:
    ctype = r.headers.get("Content-Type", "")
    for part in ctype.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ").lower()
    return None


def _disposition_name(value: str) -> str | None:
    from email.message import Message

    if not value:
        return None
    m = Message()
    m["Content-Disposition"] = value
    name = m.get_filename()
    if name and "\ufffd" not in name:
        try:
            # Many Chinese servers send raw UTF-8 bytes that HTTP libraries read as Latin-1.
            name = name.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return os.path.basename(name) if name else None


def _network_zh(exc: Exception, timeout: float, retries: int = 0) -> str:
    tried = f"，已重试 {retries} 次" if retries else ""
    text = str(exc)
    if isinstance(exc, requests.Timeout) or "timed out" in text.lower() or "ReadTimeout" in text:
        return f"超时（{timeout:g} 秒内无应答）{tried}"
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS 证书或加密握手失败"
    if isinstance(exc, requests.exceptions.RetryError):
        return f"多次失败{tried}"
    if isinstance(exc, requests.ConnectionError):
        if "Name or service not known" in text or "getaddrinfo" in text or "NameResolution" in text:
            return "域名无法解析"
        if "Connection refused" in text:
            return f"连接被拒绝{tried}"
        if "RemoteDisconnected" in text or "Connection aborted" in text:
            return f"服务器断开连接{tried}"
        return f"无法连接{tried}"
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema |
                  requests.exceptions.InvalidSchema):
        return "网址无效"
    return f"请求失败（{type(exc).__name__}）"
