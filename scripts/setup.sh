#!/usr/bin/env bash
# Installs the bot into .venv, and with --test what the test suite needs, so that nothing
# goes into the system's Python (PEP 668) and Debian's, pyenv's or conda's python3 work alike.
# Run again after a pull: it only installs what changed. PYTHON=python3.12 picks another Python.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  "") test=false ;;
  --test) test=true ;;
  *) echo "usage: scripts/setup.sh [--test]" >&2; exit 2 ;;
esac
python=${PYTHON:-python3}
venv=.venv
emulator=tests/e2e/emulator

say() { echo "setup: $*"; }
fail() { echo "setup: error: $*" >&2; exit 1; }

node_is_new_enough() {
  command -v node >/dev/null && node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 18 ? 1 : 0)'
}

# Installs system packages as root with apt-get, or says in one line what to install.
install_system() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing $* with apt-get"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; } ||
      fail "apt-get could not install $* (see its message above)"
  elif command -v apt-get >/dev/null; then
    fail "missing system packages: run 'sudo apt-get install -y $*', then this again"
  else
    fail "missing system packages: install $* with your system's package manager, then run this again"
  fi
}

command -v "$python" >/dev/null || fail "$python not found: install Python 3.11 or newer, or set PYTHON=/path/to/python3"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
  fail "the bot needs Python 3.11 or newer; $python is $("$python" -c 'import platform; print(platform.python_version())'): set PYTHON=python3.11 (or newer)"

packages=()
if ! "$venv/bin/python" -c '' 2>/dev/null; then
  rm -rf "$venv"
  # Debian and Ubuntu ship venv's pip in a package of its own (python3.11-venv)
  if ! "$python" -m venv "$venv" >/dev/null 2>&1; then
    rm -rf "$venv"
    case "$(command -v "$python")" in
      /usr/bin/* | /bin/*) packages+=("python$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv") ;;
      *) fail "$python cannot create a virtual environment (try: $python -m venv $venv)" ;;
    esac
  fi
fi
if $test; then
  command -v xapian-tcpsrv >/dev/null || packages+=(xapian-tools)
  node_is_new_enough || packages+=(nodejs)
  command -v npm >/dev/null || packages+=(npm)
fi
if [ ${#packages[@]} -gt 0 ]; then
  install_system "${packages[@]}"
  [ -d "$venv" ] || "$python" -m venv "$venv" >/dev/null || fail "$python cannot create a virtual environment in $venv"
  if $test && ! { node_is_new_enough && command -v npm >/dev/null; }; then
    fail "the end-to-end tests need Node.js 18 or newer and npm; this system has $(node --version 2>/dev/null || echo none): see https://nodejs.org/en/download"
  fi
fi

extras=$($test && echo "[test]" || true)
stamp="$venv/.installed"  # what was last installed: pyproject.toml's hash and the extras
hash=$("$venv/bin/python" -c 'import hashlib; print(hashlib.sha1(open("pyproject.toml", "rb").read()).hexdigest())')
installed=$(cat "$stamp" 2>/dev/null || true)
if [ "$installed" != "$hash [test]" ] && [ "$installed" != "$hash $extras" ]; then
  say "installing citebot$extras and its dependencies into $venv (a minute or two the first time)"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e ".$extras"
  echo "$hash $extras" > "$stamp"
fi
if $test && ! [ "$emulator/node_modules/.package-lock.json" -nt "$emulator/package-lock.json" ]; then
  say "installing the Bot API emulator for the end-to-end tests (npm ci)"
  npm ci --prefix "$emulator" --no-audit --no-fund --loglevel=error >/dev/null
fi
say "ready: $("$venv/bin/python" --version) in $venv; run the bot with $venv/bin/python -m bot"
