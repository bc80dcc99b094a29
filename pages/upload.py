"""数据导入: upload report files (and optionally a manifest), check each parse, then load them."""

import hashlib

import pandas as pd
import streamlit as st

from analytics.dashboard import collect_view, ui, uploader_zh, uploads, writes
from analytics.dashboard.labels import warning_frame
from analytics.dashboard.safe_text import md
from analytics.errors import ReportError

ui.require_app_navigation()
st.title("数据导入")
writes.refuse_page("import")  # the 管理 role's; writes.accept_upload and import_records check again
st.caption(f"可一次上传多份年度报告（PDF、Word、网页、文本），单个文件不超过 {uploads.MAX_UPLOAD_MB} MB。"
           "文件类型按内容识别，按内容哈希保存，不会被执行。")

files = st.file_uploader("报告文件（点击下方按钮选择文件，或将文件拖到此处）", type=uploads.ACCEPTED_TYPES,
                         accept_multiple_files=True, key="up_files", max_upload_size=uploads.MAX_UPLOAD_MB,
                         help=f"可选多个文件，单个文件不超过 {uploads.MAX_UPLOAD_MB} MB；"
                              f"接受的文件类型：{'、'.join(uploads.ACCEPTED_TYPES)}。")
# The manifest's column names are read as written: they are named with their Chinese meaning.
MANIFEST_MEANING = {"path": "文件名", "agency": "机构", "year": "年度", "province": "省份", "city": "市",
                    "county": "县区", "level": "层级", "kind": "类型", "parent": "上级机构",
                    "published": "发布日期"}
manifest_file = st.file_uploader("清单（可选，CSV 文件，按文件名匹配）", type=["csv"], key="up_manifest",
                                 help="第 1 行为列名，须按原样书写：" + "；".join(
                                     f"{c}（{MANIFEST_MEANING.get(c, c)}）" for c in uploads.MANIFEST_COLUMNS) + "。")
uploader_zh.apply("up_files", limit=f"单个文件不超过 {uploads.MAX_UPLOAD_MB} MB · PDF、Word、图片、网页、文本")
uploader_zh.apply("up_manifest", limit="CSV 文件")
manifest = {}
if manifest_file is not None:
    try:
        manifest = uploads.read_manifest(manifest_file.getvalue(), manifest_file.name)
        st.caption(f"清单共 {len(manifest)} 行，按文件名匹配。")
    except ReportError as exc:
        st.error(f"清单无法读取：{md(exc)}")

# Parsing is slow: keep each file's result for the session, keyed by its content hash.
parsed: dict = st.session_state.setdefault("up_parsed", {})
results = []
for file in files or []:
    data = file.getvalue()
    key = (file.name, hashlib.sha256(data).hexdigest())
    if key not in parsed:
        with st.spinner(f"正在解析 {md(file.name)} …"):
            try:  # storing the upload can meet a full disk: say so, keep the other files
                parsed[key] = writes.accept_upload(file.name, data)
            except ReportError as exc:
                st.error(f"{md(file.name)}：{md(exc.message)}")
                continue
    up = parsed[key]
    uploads.apply_manifest(up, manifest)
    results.append(up)

if results:
    st.subheader("解析结果")
    summary = pd.DataFrame([{
        "文件": up.name,
        "格式": up.format or "—",
        "结果": "可导入" if up.ok else "拒收",
        "机构": (up.record or {}).get("agency") or "—",
        "年度": str((up.record or {}).get("year") or "—"),
        "模板": (up.record or {}).get("template") or "—",
        "警告数": len((up.record or {}).get("warnings") or []),
        "原因": f"{up.reason_zh}：{up.error}" if up.error else "",
    } for up in results])
    ui.table(summary, "upload_summary")
    for up in results:
        if up.error:
            st.error(f"{md(up.name)}：{md(up.error)}")
        elif up.record.get("warnings"):
            with st.expander(f"{md(up.name)} 的解析警告（{len(up.record['warnings'])} 条）"):
                st.dataframe(warning_frame(up.record["warnings"]), hide_index=True, width="stretch")

    good = [up for up in results if up.ok]
    missing = [up.name for up in good if not up.record.get("agency") or not up.record.get("year")]
    if missing:
        st.warning("以下文件缺少机构或年度，请在清单中补充：" + "、".join(md(n) for n in missing))
    dataset = st.radio("数据集", ["real", "demo"], format_func={"real": "真实数据", "demo": "演示数据"}.get,
                       horizontal=True, key="up_dataset")
    bad = [up for up in results if not up.ok]
    label = f"导入 {len(good)} 份报告到数据仓库" + (f"（{len(bad)} 份拒收文件记入导入日志）" if bad else "")
    if st.button(label, disabled=not results or bool(missing), type="primary"):
        try:
            ids = writes.import_records([up.record for up in good], dataset=dataset,
                                        agency_info=uploads.agency_info(good) or None,
                                        log_as=[f"upload:{up.name}" for up in good],
                                        refused=[(f"upload:{up.name}", up.sha256, up.error) for up in bad])
        except ReportError as exc:
            st.error(f"导入失败：{md(exc.message)}")
        else:
            st.cache_data.clear()
            skipped = len(good) - len(ids)
            st.success(f"已导入 {len(ids)} 份报告" + (f"，{skipped} 份内容已存在，未重复导入。" if skipped else "。"))
else:
    st.caption("尚未上传文件。")

collect_view.render()
