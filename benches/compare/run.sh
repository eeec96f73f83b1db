#!/usr/bin/env bash
# grapevine against its peers on generated mail corpora, in one run, one table.
#
#   benches/compare/run.sh                 # 1e6 and 1e7 events (peers that are slow: 1e6 only)
#   benches/compare/run.sh 1e5             # a quick look
#   PEERS_AT="1e6 1e7" benches/compare/run.sh
#   PEERS_AT=none benches/compare/run.sh   # TGLib and the Python reference (to 10^6) only
#   FAMILIES=mail benches/compare/run.sh 1e6   # one family (default: uniform mail)
#
# Builds the generator and the query runner (examples/gen_corpus.rs,
# examples/corpus_query.rs), generates the corpora under target/compare/data,
# installs the peers from PyPI into virtualenvs under target/compare (never
# committed): raphtory and reticula on Python 3.12, tglib-python on Python
# 3.10 (its wheel imports only there), and prints one table: load, query, peak
# memory, answer agreement. Each query runs in its own process; peak memory is
# the process's high-water mark (VmHWM) right after the query.
#
# A peer that cannot be installed is left out, and the note at the end of the
# table says why.
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=target/compare
mkdir -p "$WORK"
SIZES=("${@:-1e6 1e7}")
read -r -a SIZES <<< "${SIZES[*]}"
PEERS_AT="${PEERS_AT:-1e6}"
FAMILIES="${FAMILIES:-uniform mail}"
NOTES=""

cargo build --release --quiet --example gen_corpus --example corpus_query --bin grapevine

# A Python of the given minor version: pyenv's, then the system's, then uv's.
find_python() {
  local v=$1 p
  for p in "$HOME"/.pyenv/versions/"$v".*/bin/python"$v" "$(command -v python"$v" || true)"; do
    if [ -n "$p" ] && [ -x "$p" ]; then echo "$p"; return 0; fi
  done
  if command -v uv >/dev/null 2>&1; then
    uv python find "$v" 2>/dev/null && return 0
  fi
  return 1
}

# venv DIR PYTHON PACKAGES...: create it once, install what is missing.
venv() {
  local dir=$1 py=$2; shift 2
  if [ ! -x "$dir/bin/python" ]; then "$py" -m venv "$dir" || return 1; fi
  "$dir/bin/pip" install --quiet --disable-pip-version-check "$@" >"$dir.pip.log" 2>&1 || { tail -3 "$dir.pip.log"; return 1; }
}

PY312=""
if p=$(find_python 3.12); then
  if out=$(venv "$WORK/venv312" "$p" raphtory reticula 2>&1); then
    if "$WORK/venv312/bin/python" -c "import raphtory, reticula" 2>"$WORK/import312.log"; then
      PY312="$WORK/venv312/bin/python"
    else
      NOTES+="raphtory/reticula: installed but not importable: $(tail -1 "$WORK/import312.log")"$'\n'
    fi
  else
    NOTES+="raphtory/reticula: pip install failed on Python 3.12: $out"$'\n'
  fi
else
  NOTES+="raphtory/reticula: no Python 3.12 found (pyenv, PATH or uv); reticula's wheels need it"$'\n'
fi

PY310=""
if p=$(find_python 3.10); then
  if out=$(venv "$WORK/venv310" "$p" tglib-python 2>&1); then
    if "$WORK/venv310/bin/python" -c "import tglib" 2>"$WORK/import310.log"; then
      PY310="$WORK/venv310/bin/python"
    else
      NOTES+="tglib: installed but not importable: $(tail -1 "$WORK/import310.log")"$'\n'
    fi
  else
    NOTES+="tglib: pip install failed on Python 3.10: $out"$'\n'
  fi
else
  NOTES+="tglib: no Python 3.10 found (pyenv, PATH or uv); tglib-python's wheel imports only on 3.10"$'\n'
fi

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/Mem:/ {print $2}') GiB" >&2
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 benches/compare/run.py --sizes "${SIZES[@]}" --families $FAMILIES --peers-at $PEERS_AT \
  --py312 "$PY312" --py310 "$PY310" --work "$WORK" --notes "$NOTES"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
