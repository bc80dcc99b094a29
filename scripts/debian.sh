# Sourced by ./run and ./test: installs the Debian packages they need when missing (as root, with apt-get).
# need_debian [--lean] CHECK PACKAGE [CHECK PACKAGE …]: a CHECK is a command name, font:NAME (a font
# family fc-list knows) or ocr:LANG (a Tesseract language); --lean leaves out recommended packages.
need_debian() {
  local lean=() missing=()
  if [ "${1:-}" = --lean ]; then lean=(--no-install-recommends); shift; fi
  while [ $# -ge 2 ]; do
    local check=$1 package=$2; shift 2
    case $check in
      font:*) fc-list 2>/dev/null | grep -qi "${check#font:}" || missing+=("$package") ;;
      ocr:*) tesseract --list-langs 2>/dev/null | grep -qx "${check#ocr:}" || missing+=("$package") ;;
      *) command -v "$check" >/dev/null 2>&1 || missing+=("$package") ;;
    esac
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "安装 ${missing[*]} (installing Debian packages) …"
    [ -n "${_APT_UPDATED:-}" ] || { apt-get update -qq >/dev/null; _APT_UPDATED=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${lean[@]}" "${missing[@]}" >/dev/null
  else
    echo "缺少 ${missing[*]}，且不是 root 无法安装：相关功能与测试将不可用 (missing, not root)" >&2
  fi
}
