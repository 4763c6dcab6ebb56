#!/usr/bin/env bash
# The programs that read what citetool writes and that the tests run where they exist:
# BibTeX (plain.bst) and biber, from Debian's packages (texlive-binaries, texlive-base, biber).
# Installed only where they are missing and apt-get can run as root; otherwise nothing happens
# and their tests skip. Never fails the command it is part of.
if command -v biber >/dev/null 2>&1 && command -v bibtex >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    { apt-get -o DPkg::Lock::Timeout=120 update -qq &&
      apt-get -o DPkg::Lock::Timeout=120 install -y -qq --no-install-recommends \
          biber texlive-binaries texlive-base; } >/dev/null 2>&1 ||
        echo "install-consumers: biber/bibtex not installed; their tests will skip" >&2
fi
exit 0
