#!/usr/bin/env bash
# Installs what Tokenworks needs on a Debian/Ubuntu machine and is missing: system packages (ncursesw headers,
# tmux and sqlite3 for the tests) and the Python oracles the tests compare against. Safe to run repeatedly.
set -euo pipefail

need_apt=()
for pkg in libncurses-dev tmux sqlite3 python3 python3-pip; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
# python3/pip may come from elsewhere (pyenv): only ask apt for them when no python3/pip works at all.
if command -v python3 >/dev/null 2>&1; then need_apt=("${need_apt[@]/python3}"); fi
if python3 -m pip --version >/dev/null 2>&1; then need_apt=("${need_apt[@]/python3-pip}"); fi
pkgs=()
for p in "${need_apt[@]}"; do [ -n "$p" ] && pkgs+=("$p"); done
if [ ${#pkgs[@]} -gt 0 ]; then
    echo "setup: installing ${pkgs[*]}"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "setup: no Swift toolchain on PATH. Install Swift 6 (https://swift.org/install) and run again." >&2
    exit 1
fi

# Python oracles used by the test suite (reference renderers and readers), pinned.
py_need=()
python3 -c 'import jinja2' 2>/dev/null || py_need+=("jinja2")
python3 -c 'import gguf' 2>/dev/null || py_need+=("gguf==0.19.0")
python3 -c 'import numpy' 2>/dev/null || py_need+=("numpy")
python3 -c 'import jsonschema' 2>/dev/null || py_need+=("jsonschema")
# Peers of the serve and MCP tests: the official OpenAI client and a real MCP server.
python3 -c 'import openai' 2>/dev/null || py_need+=("openai")
python3 -c 'import mcp_server_time' 2>/dev/null || py_need+=("mcp-server-time")
if [ ${#py_need[@]} -gt 0 ]; then
    echo "setup: pip installing ${py_need[*]}"
    python3 -m pip install --quiet --disable-pip-version-check "${py_need[@]}" \
        || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "${py_need[@]}"
fi
