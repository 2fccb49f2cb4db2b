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
