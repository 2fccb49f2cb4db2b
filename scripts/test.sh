#!/usr/bin/env bash
# Runs every test. Installs the packages the real-window test needs (Xvfb, Mesa's software
# Vulkan, xauth) when they are missing and we are allowed to; without them that test is skipped
# with a message, never silently passed.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v xvfb-run >/dev/null 2>&1 || [ ! -e /usr/share/vulkan/icd.d/lvp_icd.x86_64.json ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xvfb xauth mesa-vulkan-drivers >/dev/null) \
            || echo "warning: could not install xvfb/mesa-vulkan-drivers; the window test will be skipped" >&2
    else
        echo "warning: xvfb-run or Mesa's Vulkan driver is missing; the window test will be skipped" >&2
    fi
fi

# Neovim, for the real-editor test of `leap lsp` (tests/lsp_neovim.rs), which is skipped loudly without it.
command -v nvim >/dev/null 2>&1 || { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim >/dev/null); } || echo "warning: could not install neovim; the Neovim test of leap lsp will be skipped" >&2

cargo test "$@"
