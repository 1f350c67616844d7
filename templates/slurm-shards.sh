#!/usr/bin/env bash
# Slurm: a benchmark grid as a job array, one shard per array task (one GPU each), then a merge
# job that starts when every task has finished successfully.
#
# Submit from the repository root (after `npm ci && npx deno install --frozen`):
#
#   N=4
#   jid=$(sbatch --parsable --array=1-$N --export=ALL,SHARDS=$N templates/slurm-shards.sh)
#   sbatch --dependency=afterok:$jid --export=ALL,SHARDS=$N,MODE=merge templates/slurm-shards.sh
#
# MODE=shard (default) runs shard $SLURM_ARRAY_TASK_ID/$SHARDS into $WORK/shard-<i>;
# MODE=merge merges every $WORK/shard-* into $WORK/merged, records the night in $HISTORY, runs
# deno task regress against the previous night and writes the report to $WORK/merged/report.
# Set BENCHMARKS, PROFILE, DATASETS, SEEDS, BACKEND as in templates/run_shard.sh; all tasks and
# the merge must see the same values (--export=ALL passes the submitting shell's).
#
#SBATCH --job-name=rlnas-shards
#SBATCH --gres=gpu:1
#SBATCH --cpus-per-task=8
#SBATCH --mem=32G
#SBATCH --time=12:00:00
#SBATCH --output=rlnas-%x-%A_%a.out
set -uo pipefail

: "${SHARDS:?set SHARDS to the array size (sbatch --export=ALL,SHARDS=N)}"
MODE="${MODE:-shard}"
# a shared filesystem every node sees: results, the SuperNet cache, the history
WORK="${WORK:-$PWD/runs/slurm-$(date -u +%Y%m%d)}"
export RLNAS_CACHE_DIR="${RLNAS_CACHE_DIR:-$PWD/.cache/supernets}"
export HISTORY="${HISTORY:-$PWD/.cache/history.sqlite}"
export NO_COLOR=1
mkdir -p "$WORK"

case "$MODE" in
  shard)
    : "${SLURM_ARRAY_TASK_ID:?submit MODE=shard with sbatch --array=1-N}"
    exec templates/run_shard.sh "$SLURM_ARRAY_TASK_ID/$SHARDS" "$WORK/shard-$SLURM_ARRAY_TASK_ID"
    ;;
  merge)
    dirs=()
    for i in $(seq 1 "$SHARDS"); do dirs+=("$WORK/shard-$i"); done
    exec templates/merge_shards.sh "$WORK/merged" "${dirs[@]}"
    ;;
  *)
    echo "error: MODE must be shard or merge, got '$MODE'" >&2
    exit 2
    ;;
esac
