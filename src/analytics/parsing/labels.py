"""The label lexicon: how each table row is written in real reports, and matching it in text.

Labels are matched on NFKC text with quotes removed and with any run of white space, line or
cell breaks allowed between two characters, so wrapped, spaced and one-character-per-line labels
still match. Each row may carry its template enumerator ("2.", "(七)", "四、"); the enumerator is
part of the match so its digits are never read as a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Separators the stream uses between cells and rows (see stream.build_stream).
CELL = "\x1f"
ROW = "\n"
BLANK = "\x1e"  # a row that is one blank table cell
GAP = f"[ {CELL}{ROW}]*"


@dataclass(frozen=True)
class RowLabel:
    key: str
    variants: tuple[str, ...]  # normalised wordings, the template's own first
    enum: str = ""  # enumerator regex that may precede the label
    enum_required: bool = False
    not_followed_by: str = ""  # regex the text after the label must not start with


def _sub(n: int) -> str:
    return rf"{n}[.、]"


def _paren(cn: str) -> str:
    return rf"\({cn}\)"


APPLICATION_LABELS = (
    RowLabel("new_received", ("本年新收政府信息公开申请数量", "本年新收申请数量", "本年新收"), r"一、?"),
    RowLabel("carried_over", ("上年结转政府信息公开申请数量", "上年结转申请数量", "上年结转"), r"二、?"),
    RowLabel("granted", ("予以公开",), _paren("一"), not_followed_by="的"),
    RowLabel("partially_granted", ("部分公开(区分处理的,只计这一情形,不计其他情形)", "部分公开"), _paren("二")),
    RowLabel("denied_state_secret", ("属于国家秘密",), _sub(1)),
    RowLabel("denied_law_prohibited", ("其他法律行政法规禁止公开", "其他法律行政止公开", "法律行政法规禁止公开"), _sub(2)),
    RowLabel("denied_security_stability", ("危及三安全一稳定", "危及三安全、一稳定"), _sub(3)),
    RowLabel("denied_third_party", ("保护第三方合法权益",), _sub(4)),
    RowLabel("denied_internal_affairs", ("属于三类内部事务信息",), _sub(5)),
    RowLabel("denied_process_info", ("属于四类过程性信息",), _sub(6)),
    RowLabel("denied_enforcement_file", ("属于行政执法案卷",), _sub(7)),
    RowLabel("denied_admin_query", ("属于行政查询事项",), _sub(8)),
    RowLabel("unable_not_held", ("本机关不掌握相关政府信息", "本机关不掌握"), _sub(1)),
    RowLabel("unable_needs_creation", ("没有现成信息需要另行制作", "没有现成信息"), _sub(2)),
    RowLabel("unable_unclear", ("补正后申请内容仍不明确", "补正后申请内容"), _sub(3)),
    RowLabel("refused_petition", ("信访举报投诉类申请", "信访举报投诉"), _sub(1)),
    RowLabel("refused_duplicate", ("重复申请",), _sub(2)),
    RowLabel("refused_publication", ("要求提供公开出版物",), _sub(3)),
    RowLabel("refused_excessive", ("无正当理由大量反复申请", "无正当理由大量反复"), _sub(4)),
    RowLabel("refused_confirmation", ("要求行政机关确认或重新出具已获取信息", "要求行政机关确认或重新出具", "要求行政机关确认"), _sub(5)),
    RowLabel("other_no_correction", (
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "申请人无正当理由逾期不补正", "逾期不补正"), _sub(1)),
    RowLabel("other_no_fee", (
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "申请人逾期未按收费通知要求缴纳费用", "逾期未按收费通知要求缴纳费用", "逾期未按收费通知"), _sub(2)),
    RowLabel("other_misc", ("其他",), _sub(3), enum_required=True, not_followed_by="[处结法对]"),
    RowLabel("other_total", ("其他处理",), _paren("六")),
    RowLabel("total_processed", ("总计", "合计"), _paren("七"), enum_required=True),
    RowLabel("carried_forward", ("结转下年度继续办理", "结转下一年度继续办理", "结转下年度", "结转下一年度"), r"四、?"),
)

ACTIVE_LABELS = (
    RowLabel("regulations", ("规章",), not_followed_by="制度"),
    RowLabel("normative", ("行政规范性文件", "规范性文件")),
    RowLabel("licensing", ("行政许可",)),
    RowLabel("other_services", ("其他对外管理服务事项", "其他对外管理服务")),
    RowLabel("punishment", ("行政处罚",)),
    RowLabel("coercion", ("行政强制",)),
    RowLabel("fees", ("行政事业性收费",)),
    RowLabel("procurement", ("政府集中采购",)),
)

# Words of headers and group labels: text made of these is a fragment, not an unknown row.
APPLICATION_WORDS = (
    "本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和", "申请人情况", "自然人",
    "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计",
    "三、本年度办理结果", "(三)不予公开", "(四)无法提供", "(五)不予处理", "(六)其他处理",
    "政府信息公开申请", "收到和处理政府信息公开申请情况",
)
ACTIVE_WORDS = (
    "第二十条第(一)项", "第二十条第(五)项", "第二十条第(六)项", "第二十条第(八)项", "第二十条第(九)项",
    "信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "处理决定数量",
    "本年收费金额(单位:万元)", "本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量",
    "本年增/减", "采购项目数量", "采购总金额", "单位:万元", "数量", "件数",
)


# Connectives reports add inside a long label ("其他法律和行政法规禁止公开", "危及三安全、一稳定").
CONNECTIVE_GAP = f"{GAP}(?:[和及与、]{GAP})?"
LONG_LABEL = 6  # shorter labels are matched as printed: a connective there makes other words


def _label_pattern(text: str) -> str:
    gap = CONNECTIVE_GAP if len(text) >= LONG_LABEL else GAP
    return gap.join(re.escape(ch) for ch in text)


@lru_cache(maxsize=None)
def label_regex(table: str) -> re.Pattern:
    """One alternation over every row label of a table; group names are the row keys."""
    labels = APPLICATION_LABELS if table == "applications" else ACTIVE_LABELS
    parts = []
    for lab in labels:
        words = "|".join(_label_pattern(v) for v in sorted(lab.variants, key=len, reverse=True))
        enum = f"(?:{lab.enum}{GAP})" if lab.enum else ""
        if lab.enum and not lab.enum_required:
            enum += "?"
        tail = f"(?!{GAP}(?:{lab.not_followed_by}))" if lab.not_followed_by else ""
        parts.append(f"(?P<{lab.key}>{enum}(?:{words}){tail})")
    # Every label starts with one of a few characters; checking that first lets the scan skip
    # most positions without trying each alternative.
    firsts = {v[0] for lab in labels for v in lab.variants} | set("0123456789(一二三四五六七八九十")
    return re.compile(f"(?=[{re.escape(''.join(sorted(firsts)))}])(?:" + "|".join(parts) + ")")


@lru_cache(maxsize=None)
def vocabulary_bigrams(table: str) -> frozenset[str]:
    labels = APPLICATION_LABELS if table == "applications" else ACTIVE_LABELS
    words = APPLICATION_WORDS if table == "applications" else ACTIVE_WORDS
    texts = [v for lab in labels for v in lab.variants] + list(words)
    return frozenset(t[i:i + 2] for t in texts for i in range(len(t) - 1))


_HAN = re.compile(r"[\u4e00-\u9fff]")


def is_unknown_label(text: str, table: str) -> bool:
    """Chinese text in a table that is not a fragment of any known label or header word."""
    if table not in ("applications", "active"):
        return False
    han = "".join(_HAN.findall(text))
    if len(han) < 3:
        return False
    grams = [han[i:i + 2] for i in range(len(han) - 1)]
    known = vocabulary_bigrams(table)
    hits = sum(1 for g in grams if g in known)
    return hits / len(grams) < 0.5
