"""Prose of a demo report: title, preface and sections 一, 五 and 六, with figures from its tables.

Sentences come from small banks of alternatives chosen per report, so two reports rarely share
most of their text (the DUPLICATE_TEXT rule would flag that).
"""

from __future__ import annotations

import numpy as np

from .report import Report

HEADINGS = [
    ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
     "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"],
    ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
     "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", "五、政府信息公开工作存在的主要问题及改进情况",
     "六、其他需要报告的事项"],
    ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
     "四、政府信息公开行政复议和行政诉讼情况", "五、存在的主要问题及整改措施", "六、其他需要报告的事项"],
    # Renumbered: parts instead of the form's 一 … 六.
    ["第一部分 总体情况", "第二部分 主动公开政府信息情况", "第三部分 收到和处理政府信息公开申请情况",
     "第四部分 政府信息公开行政复议、行政诉讼情况", "第五部分 存在的主要问题及改进情况", "第六部分 其他需要报告的事项"],
    ["1.总体情况", "2.主动公开政府信息情况", "3.收到和处理政府信息公开申请情况",
     "4.政府信息公开行政复议、行政诉讼情况", "5.政府信息公开工作存在的主要问题及改进情况", "6.其他需要报告的事项"],
]

_ACTIVE = [
    "围绕中心工作做好主动公开，通过门户网站、政务新媒体等渠道及时发布政策文件、工作动态和公示公告{n}条。",
    "坚持以公开为常态、不公开为例外，全年在政府信息公开专栏主动公开各类信息{n}条，重点领域信息按时更新。",
    "按照年度政务公开工作要点，逐项明确公开内容和责任科室，全年主动公开政府信息{n}条。",
    "持续完善主动公开目录，做好财政预决算、行政执法、民生政策等信息的发布，全年共发布信息{n}条。",
]
_APPLY = [
    "严格按照法定程序和时限办理依申请公开，{year}年共收到政府信息公开申请{new}件，上年结转{carried}件，均依法依规作出答复。",
    "进一步规范依申请公开受理、登记、办理、答复流程，本年度共收到政府信息公开申请{new}件，上年结转申请{carried}件。",
    "依申请公开工作平稳有序，全年共收到申请{new}件，加上上年结转的{carried}件，已按时办结{done}件，结转下年度继续办理{forward}件。",
    "认真对待每一件申请，加强与申请人的沟通，{year}年共收到政府信息公开申请{new}件，办结{done}件。",
]
_MANAGE = [
    "落实公开前保密审查制度，对拟公开的信息逐条审核，未发生泄密和侵犯个人隐私的情况。",
    "开展规范性文件清理，对不再适用的文件及时宣布失效并向社会公布。",
    "建立政府信息公开属性源头认定机制，在公文办理环节同步明确公开方式。",
    "加强政府信息动态管理，定期检查栏目内容，及时更新过时信息。",
]
_PLATFORM = [
    "依托政府门户网站政府信息公开专栏，优化栏目设置，提升检索和浏览体验。",
    "用好政务微信公众号等新媒体平台，扩大政策信息的覆盖面和传播力。",
    "推进政务公开专区建设，为群众现场查阅政府信息提供便利。",
    "完善网站无障碍和适老化服务，方便老年人和残障人士获取政府信息。",
]
_SUPERVISE = [
    "将政务公开纳入年度绩效考核，加强日常督促检查，对发现的问题及时整改。",
    "组织开展政务公开业务培训{k}次，提高工作人员的业务能力。",
    "主动接受社会监督，通过意见箱和留言板收集群众意见建议并认真研究采纳。",
    "明确专人负责政务公开日常工作，做到工作有人抓、责任有人担。",
]
_PROBLEMS = [
    "一是政策解读的形式还不够丰富，图解、视频等解读方式运用不多；二是部分栏目信息更新不够及时。",
    "一是主动公开的深度和广度仍需拓展；二是工作人员业务能力有待进一步提高。",
    "主要问题是基层公开工作力量较为薄弱，信息发布的规范性和及时性有待提升。",
    "一是依申请公开答复文书的说理性还需加强；二是政务公开与政务服务融合不够紧密。",
]
_IMPROVE = [
    "下一步将加强业务培训，完善工作机制，不断提升政务公开质量。",
    "下一步将丰富解读形式，加强栏目日常维护，确保信息及时准确发布。",
    "我们将严格落实工作要求，强化督促检查，推动政务公开工作再上新台阶。",
    "今后将进一步健全制度，规范流程，以公开促落实、促规范、促服务。",
]
_TOPICS = ["财政预决算", "重大建设项目", "公共资源配置", "社会公益事业", "行政执法", "政府采购", "民生实事",
           "乡村振兴", "安全生产", "生态环境保护", "教育医疗", "就业创业", "惠民惠农补贴", "人事任免", "应急管理",
           "征地拆迁", "保障性住房", "食品药品监管", "养老服务", "营商环境"]
_FOCUS = ["重点做好{t}等领域信息公开。", "围绕{t}等群众关注的事项加大公开力度。", "对{t}等信息实行清单式管理、动态更新。",
          "聚焦{t}，及时发布政策文件和办事指南。", "按照要求公开{t}等方面的信息，接受社会监督。"]
_REPLY = ["答复时明确告知申请人救济途径和期限。", "对申请内容不明确的，及时一次性告知补正。",
          "建立疑难申请会商机制，提升答复的规范性。", "答复文书统一格式，做到依据充分、说理清楚。",
          "所有申请均在法定期限内答复，无超期情况。"]
_CHANNELS = ["门户网站", "政务微信公众号", "政务微博", "政务服务大厅", "档案馆查阅点", "公开栏", "新闻发布会",
             "政府公报", "村（居）务公开栏", "政务服务热线"]


def _topics(rng: np.random.Generator, bank: list[str], k: int) -> str:
    picks = rng.choice(len(bank), size=k, replace=False)
    return "、".join(bank[int(i)] for i in picks)


_OTHER_NONE = ["本年度未收取信息处理费。", "本机关本年度未发出收费通知，未收取信息处理费。"]
_OTHER_MORE = [
    "本年度无其他需要报告的事项。",
    "按照上级要求落实政务公开工作要点，各项任务均已完成。",
    "无。",
]


def _pick(rng: np.random.Generator, bank: list[str]) -> str:
    return bank[int(rng.integers(len(bank)))]


def _figure(report: Report, row: str) -> int:
    return int(report.value("applications", row, "total") or 0)


def area_word(report: Report) -> str:
    name = report.agency.name
    if report.agency.level == "city":
        return "全市"
    return "全区" if name.startswith(report.agency.county) and report.agency.county.endswith("区") else "全县"


def scope_sentence(report: Report) -> str:
    a = report.agency
    if a.kind == "government":
        return (f"本报告由{a.name}办公室汇总{area_word(report)}各级行政机关政府信息公开工作情况编制而成，"
                f"所列数据为{area_word(report)}汇总数据。")
    if a.kind == "office":
        return f"本报告反映{a.name}本机关政府信息公开工作情况。"
    return f"本报告由{a.name}根据《中华人民共和国政府信息公开条例》要求编制。"


def write_prose(report: Report, rng: np.random.Generator) -> None:
    """Fill ``report.sections`` and the preface; figures stated agree with the tables unless planted."""
    year = report.year - 1 if report.style.wrong_year_text else report.year
    new = _figure(report, "new_received") + report.style.prose_offset
    carried = _figure(report, "carried_over")
    done = _figure(report, "total_processed")
    forward = _figure(report, "carried_forward")
    n_active = int(rng.integers(20, 60) * (8 if report.agency.kind == "government" else 1))
    preface = (f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现公布{report.agency.name}"
               f"{report.year}年政府信息公开工作年度报告。{scope_sentence(report)}"
               f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
               "如对本报告有疑问，请与本机关政务公开工作机构联系。")
    overview = [
        f"{year}年，{report.agency.name}深入贯彻落实《条例》，扎实做好政府信息公开各项工作。",
        "（一）主动公开。" + _pick(rng, _ACTIVE).format(n=n_active)
        + _pick(rng, _FOCUS).format(t=_topics(rng, _TOPICS, 3)),
        "（二）依申请公开。" + _pick(rng, _APPLY).format(year=year, new=new, carried=carried, done=done,
                                                       forward=forward) + _pick(rng, _REPLY),
        "（三）政府信息管理。" + _topics(rng, _MANAGE, 2).replace("。、", "。"),
        "（四）平台建设。" + _pick(rng, _PLATFORM) + f"通过{_topics(rng, _CHANNELS, 3)}等渠道发布信息。",
        "（五）监督保障。" + _pick(rng, _SUPERVISE).format(k=int(rng.integers(1, 5))),
    ]
    review_total = int(report.value("review_litigation", "review", "total") or 0)
    lit_total = int(report.value("review_litigation", "litigation_direct", "total") or 0) + int(
        report.value("review_litigation", "litigation_after_review", "total") or 0)
    if review_total or lit_total:
        overview.append(f"本年度因政府信息公开工作被申请行政复议{review_total}件，被提起行政诉讼{lit_total}件。")
    fees = float(report.value("active_disclosure", "fees_amount") or 0) if "fees_amount" in report.active else 0.0
    # Say "no fee was charged" only where nothing in the tables suggests a fee notice or a charge.
    unpaid = int(report.value("applications", "other_no_fee", "total") or 0) if "other_no_fee" in report.applications else 0
    if fees > 0 or unpaid > 0:
        other = _pick(rng, _OTHER_MORE)
    else:
        other = _pick(rng, _OTHER_NONE) + _pick(rng, _OTHER_MORE[:2])
    report.sections = {
        "preface": preface,
        "overview": "\n".join(overview),
        "problems": _pick(rng, _PROBLEMS) + _pick(rng, _IMPROVE)
        + f"重点加强{_topics(rng, _TOPICS, 2)}等领域的信息公开。",
        "other_matters": other,
    }


def title(report: Report) -> str:
    return f"{report.agency.name}{report.year}年政府信息公开工作年度报告"


def headings(report: Report) -> list[str]:
    return HEADINGS[report.style.heading_variant % len(HEADINGS)]


def signature(report: Report) -> list[str]:
    y, m, d = report.published.split("-")
    return [report.agency.name, f"{y}年{int(m)}月{int(d)}日"]
