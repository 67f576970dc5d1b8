#!/bin/bash
# How long the player takes to end while its cluster makes more events than the machine can
# simulate (issue 7: q, SIGTERM and a closed terminal end it "within a second"). Starts
# `sandbox resilience --set load=100000/s` in a private tmux server, waits until the player
# says it is busy, then times, from the moment each is sent until the process is gone:
# the q key, SIGTERM, and killing the terminal (tmux kill-server). Prints milliseconds.
#   Scripts/quit-latency.sh [path/to/clustertutor] [runs]
set -u
bin=${1:-.build/release/clustertutor}
runs=${2:-5}
sock="ct-quit-$$"
ms() { date +%s%3N; }
start() {
  tmux -L "$sock" -f /dev/null new-session -d -x 100 -y 30 "$bin sandbox resilience --set load=100000/s"
  for _ in $(seq 100); do tmux -L "$sock" capture-pane -p | grep -q "Cluster: 3 nodes" && break; sleep 0.1; done
  tmux -L "$sock" send-keys Space
  for _ in $(seq 100); do tmux -L "$sock" capture-pane -p | grep -q "busy cluster" && break; sleep 0.1; done
  sleep 1
  pid=$(tmux -L "$sock" list-panes -F '#{pane_pid}')
}
# Gone once it has exited: a zombie waiting for tmux to reap it (which can take a second) counts.
alive() { local s; s=$(ps -o stat= -p "$pid" 2>/dev/null); [ -n "$s" ] && [ "${s#Z}" = "$s" ]; }
gone() { local t0=$1; while alive; do sleep 0.005; done; echo $(( $(ms) - t0 )); }
for _ in $(seq "$runs"); do
  start; t0=$(ms); tmux -L "$sock" send-keys q; q=$(gone "$t0"); tmux -L "$sock" kill-server 2>/dev/null
  start; t0=$(ms); kill -TERM "$pid"; term=$(gone "$t0"); tmux -L "$sock" kill-server 2>/dev/null
  start; t0=$(ms); tmux -L "$sock" kill-server; closed=$(gone "$t0")
  echo "q ${q} ms, SIGTERM ${term} ms, terminal closed ${closed} ms"
done
