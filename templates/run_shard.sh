#!/usr/bin/env bash
# Run shard I of N of every benchmark in $BENCHMARKS into one results folder.
#
#   templates/run_shard.sh I/N OUT_DIR
#
# Environment (all optional):
#   BENCHMARKS  benchmarks to run, space-separated (default "table1 table2"); they must all be
#               shardable (table1 table2 table6 table7 figure1)
#   PROFILE     smoke | quick | paper (default quick)
#   BACKEND     tfjs backend (default webgpu; wasm on CPU-only machines)
#   DATASETS    --dataset list, comma-separated (default: the profile's)
#   SEEDS       --seed list, comma-separated (default: the profile's)
#   BENCH_ARGS  more flags for every bench call (e.g. "--allow-software-gpu")
#   RLNAS_CACHE_DIR, RLNAS_DATA_DIR  SuperNet cache and data directory (see README)
#
# Every shard of a grid must get the same BENCHMARKS, PROFILE, DATASETS and SEEDS: the partition
# (unit k of the (dataset, seed) units goes to shard (k mod N) + 1) depends on them only. table1
# and table2 with the same selection put a unit on the same shard, so they share its SuperNets
# through the runner's cache.
#
# A shard's verdict judges its own rows only: exit 3 (FAIL) and 4 (NOT CHECKED) are reported but
# do not fail the shard (the merge judges the whole grid); 1 (error) and 2 (usage) do.
set -uo pipefail

if [ "$#" -ne 2 ]; then
  echo "usage: $0 I/N OUT_DIR" >&2
  exit 2
fi
shard="$1"
out="$2"
benchmarks="${BENCHMARKS:-table1 table2}"
args=(--profile "${PROFILE:-quick}" --backend "${BACKEND:-webgpu}" --shard "$shard" --out "$out")
[ -n "${DATASETS:-}" ] && args+=(--dataset "$DATASETS")
[ -n "${SEEDS:-}" ] && args+=(--seed "$SEEDS")
# shellcheck disable=SC2206 # BENCH_ARGS is a list of flags on purpose
[ -n "${BENCH_ARGS:-}" ] && args+=(${BENCH_ARGS})

status=0
for b in $benchmarks; do
  echo "== $b shard $shard"
  npx deno task bench "$b" "${args[@]}"
  rc=$?
  case "$rc" in
    0) ;;
    3 | 4) echo "note: $b shard $shard verdict exit $rc (its rows only; the merge decides)" ;;
    *)
      echo "error: $b shard $shard failed (exit $rc)" >&2
      status=$rc
      ;;
  esac
done
exit "$status"
