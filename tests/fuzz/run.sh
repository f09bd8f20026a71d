#!/usr/bin/env bash
# Runs libFuzzer targets built by `make fuzz`, each for a while, with its corpus.
# usage: run.sh BUILD_DIR SECONDS TARGET...
#   The corpus of a target is tests/fuzz/corpus/<target>/ (new inputs are added there); its seeds
#   (tests/fuzz/seeds/<target>/, also replayed by `make test`) are read too, and a dictionary
#   tests/fuzz/dict/<target>.dict when there is one. A crashing input lands in
#   BUILD_DIR/fuzz-artifacts/<target>/. After the run the corpus is minimized (libFuzzer -merge)
#   so that what is kept in git stays small. Prints executions and findings per target; exits 1
#   when any target found something.
set -uo pipefail

build=$1 seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
failed=0
summary=()
for target in "$@"; do
  corpus="$here/corpus/$target" artifacts="$build/fuzz-artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
           -artifact_prefix="$artifacts/")
  [[ -f "$here/dict/$target.dict" ]] && options+=(-dict="$here/dict/$target.dict")
  log="$build/fuzz-$target.log"
  echo "== fuzz_$target for ${seconds}s (log: $log)"
  "$build/tests/fuzz/fuzz_$target" "${options[@]}" "$corpus" "$here/seeds/$target" >"$log" 2>&1
  code=$?
  if ((code == 0)); then
    merged=$(mktemp -d)
    if "$build/tests/fuzz/fuzz_$target" -merge=1 "$merged" "$corpus" >"$log.merge" 2>&1; then
      rm -rf "$corpus" && mv "$merged" "$corpus" && chmod 755 "$corpus"
    fi
    rm -rf "$merged"
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  findings=$(find "$artifacts" -type f | wc -l)
  summary+=("$(printf '%-14s %12s executions %3s finding(s)  exit %s' "$target" "${runs:-?}" \
    "$findings" "$code")")
  if ((code != 0 || findings > 0)); then
    failed=1
    tail -n 40 "$log"
  fi
done
echo "== fuzz summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
exit "$failed"
