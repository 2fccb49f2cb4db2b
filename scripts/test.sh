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
# The session report's test renders it with headless Chromium and counts the PDF's pages with
# poppler-utils; without them it is skipped with a message.
if ! command -v chromium >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null) \
            || echo "warning: could not install chromium/poppler-utils; the report's rendering test will be skipped" >&2
    else
        echo "warning: chromium or poppler-utils is missing; the report's rendering test will be skipped" >&2
    fi
fi

# The LRS test runs Ralph's LRS on 127.0.0.1 (Python); the xAPI test runs Learning Locker's
# validator (Node) from scripts/xapi-validator. Without them those tests are skipped, loudly.
if ! python3 -c "import ralph.api, bcrypt, requests" >/dev/null 2>&1; then
    if command -v pip3 >/dev/null 2>&1; then
        pip3 install -q "ralph-malph[lrs,cli]==5.1.0" requests >/dev/null 2>&1 \
            || echo "warning: could not install Ralph (pip); the LRS test will be skipped" >&2
    else
        echo "warning: pip3 is missing, so Ralph cannot be installed; the LRS test will be skipped" >&2
    fi
fi
if [ ! -d scripts/xapi-validator/node_modules/@learninglocker/xapi-validation ]; then
    if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null) || true
    fi
    if command -v npm >/dev/null 2>&1; then
        (cd scripts/xapi-validator && npm install --no-audit --no-fund --loglevel=error >/dev/null 2>&1) \
            || echo "warning: could not install @learninglocker/xapi-validation; the xAPI validation test will be skipped" >&2
    else
        echo "warning: npm is missing; the xAPI validation test will be skipped" >&2
    fi
fi

# The phone page's real-browser test (tests/phones_browser.rs): Debian's Chromium and the
# playwright-core package from tests/browser/package-lock.json. Skipped with a message without them.
# The projector's QR code test (tests/phones_projector.rs) drives the window with xdotool and
# reads the QR code with zbarimg.
if ! command -v xdotool >/dev/null 2>&1 || ! command -v zbarimg >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xdotool zbar-tools curl >/dev/null) \
            || echo "warning: could not install xdotool/zbar-tools; the projector QR test will be skipped" >&2
    else
        echo "warning: xdotool or zbarimg is missing; the projector QR test will be skipped" >&2
    fi
fi
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
            || echo "warning: could not install chromium; the phone page's browser test will be skipped" >&2
    else
        echo "warning: chromium is missing; the phone page's browser test will be skipped" >&2
    fi
fi
if [ ! -d tests/browser/node_modules/playwright-core ]; then
    if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null \
            || echo "warning: could not install nodejs and npm" >&2
    fi
    if command -v npm >/dev/null 2>&1; then
        npm ci --prefix tests/browser --no-audit --no-fund --silent \
            || echo "warning: npm ci failed; the phone page's browser test will be skipped" >&2
    else
        echo "warning: npm is missing; the phone page's browser test will be skipped" >&2
    fi
fi

cargo test "$@"
