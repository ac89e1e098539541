#!/usr/bin/env bash
# Builds and tests the web page (frontend/) with the machine's Node.js and npm; nothing downloads Node itself.
#   scripts/frontend.sh build   npm ci when package-lock.json changed, vite build when a source changed (else nothing:
#                               offline once built)
#   scripts/frontend.sh test    the page's unit tests (vitest)
# ./run.sh and the Maven module frontend/pom.xml (so ./test.sh) call it.
set -euo pipefail
cd "$(dirname "$0")/../frontend"

need_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "frontend: Node.js 20.19+ and npm are needed to build the web page; install them (e.g. apt-get install nodejs npm)" >&2
    exit 1
  fi
  local version major minor
  version=$(node --version | sed 's/^v//')
  major=${version%%.*}
  minor=$(echo "$version" | cut -d. -f2)
  if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; }; then
    echo "frontend: Node.js $version is too old; the page's build (Vite 8) needs 20.19 or newer" >&2
    exit 1
  fi
}

install_if_needed() {
  # npm ci writes node_modules/.package-lock.json; when it is newer than the lock file, the install is current.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "frontend: installing packages (npm ci)"
    npm ci --no-audit --no-fund --prefer-offline --loglevel=error
  fi
}

sources_changed() {
  [ ! -f dist/index.html ] && return 0
  [ -n "$(find index.html package.json package-lock.json tsconfig.json vite.config.ts src public -newer dist/index.html -print -quit 2>/dev/null)" ]
}

case "${1:-build}" in
  build)
    need_node
    install_if_needed
    if sources_changed; then
      echo "frontend: building the web page (sources changed since the last build)"
      npm run --silent build
    fi
    ;;
  test)
    need_node
    install_if_needed
    npx vitest run
    ;;
  *)
    echo "usage: scripts/frontend.sh build|test" >&2
    exit 2
    ;;
esac
