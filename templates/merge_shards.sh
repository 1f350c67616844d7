#!/usr/bin/env bash
# Merge the shards' results folders, record the night in the history, compare it with the
# previous night and write the report.
#
#   templates/merge_shards.sh MERGED_DIR SHARD_DIR [SHARD_DIR ...]
#
# Environment (all optional):
#   BENCHMARKS  the benchmarks the shards ran (default "table1 table2")
#   PROFILE     their profile (default quick)
#   HISTORY     the run history (SQLite), kept between nights (default: not recorded, and regress
#               compares with the committed results/)
#   REPORT_DIR  where `deno task report` writes (default MERGED_DIR/report)
#
# Steps:
#   1. per benchmark: bench <b> --profile P --merge SHARD_DIR ... --out MERGED_DIR [--history H]:
#      the verdict of the whole grid (the same as an unsharded run's); with HISTORY, every merged
#      row is recorded as one run (the merge's run id). A copy of the history taken before is the
#      previous nights.
#   2. perf results a shard wrote (SHARD_DIR/perf/) are copied into MERGED_DIR/perf/ and
#      imported into the history.
#   3. deno task regress --candidate MERGED_DIR against the latest run of every benchmark in the
#      copy (the previous night), or against the committed results/ (--allow-missing: they hold
#      other seeds) when there is no history yet.
#   4. deno task report --results MERGED_DIR [--history H] --out REPORT_DIR.
#
# Exit: the worst of the steps: an error (1, 2) over a FAIL or regression (3) over NOT CHECKED
# (4); 0 when every merged verdict PASSed and nothing regressed. Every step runs regardless.
set -uo pipefail

if [ "$#" -lt 2 ]; then
  echo "usage: $0 MERGED_DIR SHARD_DIR [SHARD_DIR ...]" >&2
  exit 2
fi
merged="$1"
shift
benchmarks="${BENCHMARKS:-table1 table2}"
profile="${PROFILE:-quick}"
history="${HISTORY:-}"
report="${REPORT_DIR:-$merged/report}"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

status=0
worse() { # keep the worse exit code: 1/2 > 3 > 4 > 0
  local rc="$1"
  rank() { case "$1" in 0) echo 0 ;; 4) echo 1 ;; 3) echo 2 ;; *) echo 3 ;; esac; }
  if [ "$(rank "$rc")" -gt "$(rank "$status")" ]; then status="$rc"; fi
}

merges=()
for d in "$@"; do merges+=(--merge "$d"); done

# the previous nights: a copy of the history before tonight is recorded
previous=""
if [ -n "$history" ] && [ -f "$history" ]; then
  previous="$tmp/previous.sqlite"
  cp "$history" "$previous"
  [ -f "$history-wal" ] && cp "$history-wal" "$previous-wal"
fi

hist=()
[ -n "$history" ] && hist=(--history "$history")
for b in $benchmarks; do
  echo "== merge $b"
  npx deno task bench "$b" --profile "$profile" "${merges[@]}" --out "$merged" "${hist[@]}"
  worse $?
done

for d in "$@"; do
  if [ -d "$d/perf" ]; then
    mkdir -p "$merged/perf"
    cp -R "$d/perf/." "$merged/perf/"
  fi
done
if [ -n "$history" ] && [ -d "$merged/perf" ]; then
  mkdir -p "$tmp/perf-only"
  cp -R "$merged/perf" "$tmp/perf-only/perf"
  npx deno task history import "$tmp/perf-only" --history "$history"
  worse $?
fi

echo "== regress"
if [ -n "$previous" ]; then
  npx deno task regress --candidate "$merged" --baseline-run latest --history "$previous"
else
  npx deno task regress --candidate "$merged" --allow-missing
fi
worse $?

echo "== report"
report_args=(--results "$merged" --out "$report")
[ -n "$history" ] && report_args+=(--history "$history")
npx deno task report "${report_args[@]}"
worse $?

echo "merge_shards: exit $status"
exit "$status"
