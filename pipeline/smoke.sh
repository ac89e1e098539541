#!/usr/bin/env bash
# Smoke tests of a running Reel, given the base URL that serves the web page at / and the API at /api (a stack's
# CloudFront URL, or the devserver):
#   pipeline/smoke.sh https://d111111abcdef8.cloudfront.net
#   pipeline/smoke.sh http://localhost:3000
# Checks: the sign-in page is served (HTML and its script), /api/.well-known/jwks.json answers 200 with an RSA key,
# /api/videos without a token answers 401 as problem+json. A check that fails is tried again (a fresh deploy may take a
# moment): SMOKE_ATTEMPTS (default 6) times, SMOKE_DELAY seconds apart (default 10). Exit status 1 if any check failed.
# Needs bash and curl.
set -euo pipefail

if [ $# -ne 1 ] || [[ ! "$1" =~ ^https?://[^/]+ ]]; then
  echo "usage: $0 BASE_URL   (e.g. https://d111111abcdef8.cloudfront.net or http://localhost:3000)" >&2
  exit 2
fi
base=${1%/}
attempts=${SMOKE_ATTEMPTS:-6}
delay=${SMOKE_DELAY:-10}

work=$(mktemp -d "${TMPDIR:-/tmp}/reel-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT
body="$work/body"

status=""
ctype=""
# GET $1 (no credentials); sets status and ctype, the body in $body.
get() {
  local out
  out=$(curl -sS --max-time 15 -o "$body" -w '%{http_code} %{content_type}' "$1" 2>"$work/curl.err") || {
    status="000"; ctype=""; echo "curl: $(cat "$work/curl.err")" > "$body"; return 0; }
  status=${out%% *}
  ctype=${out#* }
}

why=""
check_sign_in_page() {
  get "$base/"
  [ "$status" = 200 ] || { why="GET / answered $status"; return 1; }
  [[ "$ctype" == text/html* ]] || { why="GET / is '$ctype', not text/html"; return 1; }
  grep -q '<title>Reel</title>' "$body" || { why="GET / is not Reel's page (no <title>Reel</title>)"; return 1; }
  # The page is a script: its module must be served too, or the sign-in form never appears.
  local script
  script=$(grep -o '<script type="module"[^>]* src="[^"]*"' "$body" | head -n 1 | sed 's/.* src="//; s/"$//')
  [ -n "$script" ] || { why="GET / names no module script"; return 1; }
  case "$script" in
    http://*|https://*) ;;
    /*) script="$base$script" ;;
    *) script="$base/$script" ;;
  esac
  get "$script"
  [ "$status" = 200 ] || { why="the page's script $script answered $status"; return 1; }
  [[ "$ctype" == *javascript* ]] || { why="the page's script $script is '$ctype', not JavaScript"; return 1; }
}

check_jwks() {
  get "$base/api/.well-known/jwks.json"
  [ "$status" = 200 ] || { why="GET /api/.well-known/jwks.json answered $status"; return 1; }
  [[ "$ctype" == application/json* ]] || { why="JWKS is '$ctype', not application/json"; return 1; }
  grep -Eq '"kty" *: *"RSA"' "$body" || { why="JWKS holds no RSA key: $(head -c 200 "$body")"; return 1; }
}

check_videos_need_a_token() {
  get "$base/api/videos"
  [ "$status" = 401 ] || { why="GET /api/videos without a token answered $status, not 401"; return 1; }
  [[ "$ctype" == application/problem+json* ]] || { why="its 401 is '$ctype', not application/problem+json"; return 1; }
  grep -Eq '"status" *: *401' "$body" || { why="its problem+json says no status 401: $(head -c 200 "$body")"; return 1; }
}

failed=0
for check in check_sign_in_page check_jwks check_videos_need_a_token; do
  name=${check#check_}
  for ((attempt = 1; ; attempt++)); do
    if $check; then
      echo "PASS ${name//_/ }"
      break
    fi
    if [ "$attempt" -ge "$attempts" ]; then
      echo "FAIL ${name//_/ }: $why" >&2
      failed=1
      break
    fi
    echo "     ${name//_/ }: $why; again in ${delay}s ($attempt/$attempts)" >&2
    sleep "$delay"
  done
done

if [ "$failed" -ne 0 ]; then
  echo "smoke: $base FAILED" >&2
  exit 1
fi
echo "smoke: $base passed"
