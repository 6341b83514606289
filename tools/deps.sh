#!/bin/sh
# deps.sh: installs the Debian (and npm) packages that notbetrieb needs, and only those
# that are missing. Runs apt-get as root, or through sudo.
#   tools/deps.sh run     what building and running need (`make build`, `make run`)
#   tools/deps.sh check   that plus what the tests, fuzzing and benchmarks need
#                         (`make check`, `make fuzz`, `make bench`), npm packages included
set -eu

usage() {
    echo "usage: tools/deps.sh run|check" >&2
    exit 2
}
[ $# -eq 1 ] || usage
case "$1" in
run | check) set_name="$1" ;;
*) usage ;;
esac

# Build and run.
PKGS="gcc make meson ninja-build pkg-config gettext
libmicrohttpd-dev libsqlite3-dev libsodium-dev libjansson-dev libcmark-dev liboath-dev libqrencode-dev
zlib1g-dev libbrotli-dev"
# Tests, fuzzing and benchmarks.
if [ "$set_name" = check ]; then
    PKGS="$PKGS libcmocka-dev sqlite3 python3 python3-pytest python3-requests python3-brotli
clang libclang-rt-14-dev chromium fonts-dejavu-core nodejs npm nginx-light wrk openssl iproute2"
fi

missing=""
for p in $PKGS; do
    # A command already on PATH counts for the packages that only provide one.
    case "$p" in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
    esac
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done

if [ -n "$missing" ]; then
    echo "deps: installing Debian packages:$missing"
    if [ "$(id -u)" -eq 0 ]; then
        SUDO=""
    elif command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "deps: need root or sudo to install:$missing" >&2
        exit 1
    fi
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
else
    echo "deps: all Debian packages of the $set_name set present"
fi

# Browser-test packages from the npm registry, pinned by package-lock.json. Playwright
# drives Debian's chromium; it never downloads a browser of its own. A node_modules that is
# a symbolic link belongs to another checkout (a git worktree sharing it): npm ci would empty
# that one, so it is refreshed only when its packages are missing.
if [ "$set_name" = check ] && { [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/@axe-core/playwright ] ||
    { [ ! -L node_modules ] && [ package-lock.json -nt node_modules/.package-lock.json ]; }; }; then
    echo "deps: installing npm packages (npm ci)"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
