#!/usr/bin/env bash
# Prints the Lambda architecture a function of a SAM template resolves to at build time, and the template parameter
# it came from ("-" when the template names the architecture literally):
#   scripts/lambda-architecture.sh template.yaml TranscodeFunction    ->  arm64 FunctionArchitecture
#
# Why: sam build tells a Makefile build nothing but ARTIFACTS_DIR (aws-lambda-builders' CustomMakeAction; see
# transcode-function/README.md), so the transcode packaging reads the architecture the way SAM resolves it before
# building: the function's own Architectures, else Globals.Function.Architectures, else Lambda's default (x86_64);
# a !Ref (or {Ref: ...}) to a parameter takes the parameter's Default.
#
# It reads block-style YAML as this repository writes it (no anchors, no flow mappings around these keys) and
# fails, rather than guesses, on anything else: an !If, a list of two, an unknown value, a parameter with no Default.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 TEMPLATE LOGICAL_ID" >&2
  exit 2
fi
template=$1
logical_id=$2
[ -r "$template" ] || { echo "lambda-architecture: cannot read $template" >&2; exit 2; }

# Flattens the keys this needs into "path<TAB>value" lines; a list item under a key gives "path<TAB>- item".
flatten() {
  awk -v want_resource="Resources/$logical_id/Properties/Architectures" '
    function indent_of(s) { match(s, /^ */); return RLENGTH }
    function unquote(v) { gsub(/^["\047]|["\047]$/, "", v); return v }
    {
      line = $0
      sub(/\r$/, "", line)
      if (line ~ /^[ \t]*(#.*)?$/) next
      ind = indent_of(line)
      text = substr(line, ind + 1)
      sub(/[ \t]+#.*$/, "", text)
      if (text ~ /^- /) {
        if (list_path != "" && ind >= list_indent) print list_path "\t- " unquote(substr(text, 3))
        next
      }
      list_path = ""
      while (depth > 0 && indents[depth] >= ind) depth--
      if (!match(text, /^["\047]?[A-Za-z0-9_.-]+["\047]?:([ \t]|$)/)) next
      key = substr(text, 1, RLENGTH)
      value = substr(text, RLENGTH + 1)
      sub(/:[ \t]*$/, "", key)
      key = unquote(key)
      gsub(/^[ \t]+|[ \t]+$/, "", value)
      depth++
      indents[depth] = ind
      keys[depth] = key
      path = keys[1]
      for (i = 2; i <= depth; i++) path = path "/" keys[i]
      if (path == want_resource || path == "Globals/Function/Architectures" || path ~ /^Parameters\/[^\/]+\/Default$/) {
        print path "\t" unquote(value)
        if (value == "") { list_path = path; list_indent = ind }
      }
    }
  ' "$template"
}

flat=$(flatten)

# The value list of a key: "[a]" inline, or "- a" items; prints one item per line.
items_of() {
  local key=$1 inline
  inline=$(printf '%s\n' "$flat" | awk -F '\t' -v k="$key" '$1 == k && $2 !~ /^- / { print $2; exit }')
  if [ -n "$inline" ]; then
    inline=${inline#[}
    inline=${inline%]}
    printf '%s\n' "$inline" | tr ',' '\n' | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e "s/^[\"']//" -e "s/[\"']\$//"
  else
    printf '%s\n' "$flat" | awk -F '\t' -v k="$key" '$1 == k && $2 ~ /^- / { print substr($2, 3) }'
  fi
}

has_key() { printf '%s\n' "$flat" | awk -F '\t' -v k="$1" '$1 == k { found = 1 } END { exit !found }'; }

source_key=""
for key in "Resources/$logical_id/Properties/Architectures" "Globals/Function/Architectures"; do
  if has_key "$key"; then
    if [ -n "$source_key" ]; then
      # SAM merges list-valued Globals into the function's list instead of overriding them: that would be two.
      echo "lambda-architecture: both $source_key and $key are set in $template; SAM would merge them into a" \
        "list of two architectures. Set it in one place only." >&2
      exit 1
    fi
    source_key=$key
  fi
done

if [ -z "$source_key" ]; then
  echo "x86_64 -"   # Lambda's default when no Architectures is given
  exit 0
fi

values=()
while IFS= read -r item; do
  [ -n "$item" ] && values+=("$item")
done < <(items_of "$source_key")
if [ ${#values[@]} -ne 1 ]; then
  echo "lambda-architecture: $source_key in $template should hold exactly one architecture, found: ${values[*]:-nothing}" >&2
  exit 1
fi
value=${values[0]}
param="-"
case "$value" in
  '!Ref '*) param=${value#!Ref } ;;
  '{Ref: '*'}' | '{"Ref": '*'}' | "{'Ref': "*'}') param=${value#*: }; param=${param%\}} ;;
  'Ref: '*) param=${value#Ref: } ;;
esac
if [ "$param" != "-" ]; then
  param=$(printf '%s' "$param" | sed -e 's/^[[:space:]"'\'']*//' -e 's/[[:space:]"'\'']*$//')
  if ! has_key "Parameters/$param/Default"; then
    echo "lambda-architecture: $source_key refers to parameter $param, which has no Default in $template" >&2
    exit 1
  fi
  value=$(printf '%s\n' "$flat" | awk -F '\t' -v k="Parameters/$param/Default" '$1 == k { print $2; exit }')
fi

case "$value" in
  arm64 | x86_64) echo "$value $param" ;;
  *)
    echo "lambda-architecture: cannot resolve $source_key in $template to arm64 or x86_64 (got: $value);" \
      "set REEL_LAMBDA_ARCH instead" >&2
    exit 1
    ;;
esac
