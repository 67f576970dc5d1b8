#!/usr/bin/env bash
# Headless benchmark of RaftScope's Raft model under node.js (see
# Scripts/raftscope-bench.js for the workload and how events are counted).
#
# How to run (this script fetches nothing; bring your own RaftScope checkout):
#   git clone https://github.com/ongardie/raftscope /path/to/raftscope
#   bash Scripts/raftscope-bench.sh /path/to/raftscope
# Figures in the ClusterTutor report came from commit
# 5b0c10ab51f873721895e7470b49e04c94bf826f (2015-07-07, its latest).
# Optional environment, passed through to the harness:
#   RUNS=21 WARMUP=5 SEED=1 SIM_SECONDS=60 CHECKPOINT=0|1 SANDBOX=0|1
# Needs node (Debian: apt-get install nodejs). Takes a few seconds.
set -euo pipefail

dir="${1:-}"
if [[ -z "$dir" || ! -f "$dir/raft.js" ]]; then
  echo "usage: bash $0 /path/to/raftscope-checkout" >&2
  exit 2
fi
command -v node >/dev/null || { echo "node not found (apt-get install nodejs)" >&2; exit 2; }

# Record which RaftScope revision is measured, when the checkout is a git one.
commit="$(git -C "$dir" rev-parse HEAD 2>/dev/null || echo 'unknown (not a git checkout)')"
echo "raftscope commit: $commit"
echo "host: $(uname -srm), $(nproc) cpu(s)"

exec node "$(dirname "$0")/raftscope-bench.js" "$dir"
