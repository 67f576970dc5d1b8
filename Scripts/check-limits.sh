#!/bin/bash
# The README's rows on `check` at the limits: writes the longest and the most hostile lessons
# each pattern's limits allow, runs `clustertutor check` on each under /usr/bin/time, and prints
# wall time and peak memory. Every lesson here is expected to stop at a limit (or pass): what
# is measured is that it stops, how soon, and in how much memory (issue 7: under 200 MB).
#   Scripts/check-limits.sh [path/to/clustertutor]
set -u
bin=${1:-.build/release/clustertutor}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
lesson() {  # name, frontmatter lines, sim lines
  printf -- "---\ntitle: %s\n%s\n---\n\nIntro.\n\n## Run\n\n\`\`\`sim\n%s\n\`\`\`\n" "$1" "$2" "$3" > "$dir/$1.md"
}
lesson raft-storm      $'pattern: raft\nnodes: 3\nelection-timeout: 1ms-1ms' 'run 600s'
lesson raft-101        $'pattern: raft\nnodes: 101' "$(printf 'run 600s\n%.0s' 1 2 3 4 5 6)"
lesson raft-behind     $'pattern: raft\nnodes: 3\nseed: 1' "run until leader exists within 5s
crash n3
$(for i in $(seq 0 11999); do echo "request k$i=$i"; done)
run 2s
restart n3
run 30s"
lesson gossip-push     $'pattern: gossip\nnodes: 100000' $'rumor n1 x=1\nrun 600s'
lesson gossip-pushpull $'pattern: gossip\nnodes: 100000\nmode: push-pull\nanti-entropy: 1s' $'rumor n1 x=1\nrun 600s'
lesson gossip-keys-1k  $'pattern: gossip\nnodes: 1000\nmode: push-pull\nanti-entropy: 1s' "$(for i in $(seq 0 19); do echo "rumor n$((1 + i * 50)) k$i=v"; done)
run 600s"
lesson gossip-keys-100k $'pattern: gossip\nnodes: 100000\nmode: pull\nfanout: 10\nperiod: 1s' "$(for i in $(seq 0 2); do echo "rumor n$((1 + i * 20000)) k$i=abcdefghijkl"; done)
run 600s"
lesson resilience      $'pattern: resilience\nservices: client->front->payments->bank\nload: 10000/s' 'run 600s'
lesson overload        $'pattern: resilience\nservices: client->server\nload: poisson 100000/s\nworkers: 1\nqueue: unbounded' 'run 600s'
lesson membership      $'pattern: membership\nnodes: 200' 'run 600s'
lesson clocks-busy     $'pattern: clocks\nnodes: 15\nworkload: 1000' 'run 600s'
for f in "$dir"/*.md; do
  name=$(basename "$f" .md)
  /usr/bin/time -f "%e s, %M KB peak" -o "$dir/time" "$bin" check "$f" > "$dir/out" 2>&1
  why=$(grep -m1 -oE "reached its limit of [^;]*|PASS|did not happen[^;]*" "$dir/out")
  printf "%-18s %-22s %s\n" "$name" "$(tail -1 "$dir/time")" "${why:-$(tail -1 "$dir/out")}"
done
