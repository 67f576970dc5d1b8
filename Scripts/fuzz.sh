#!/usr/bin/env bash
# Builds one libFuzzer target with the address sanitizer and runs it.
#
#   Scripts/fuzz.sh TARGET SECONDS [libFuzzer options…]
#
# TARGET: lesson (parser and compiler), run (a compiled lesson run and drawn, with an event
# budget per input), answer (the quiz answer parser and marking), progress (the progress-file
# decoder). The corpus grows in .build/fuzz-corpus/TARGET, seeded from Lessons/ and the
# tests' examples; findings land in .build/fuzz-artifacts/ (turn each into a regression test).
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:?usage: Scripts/fuzz.sh lesson|run|answer|progress SECONDS [libFuzzer options]}
seconds=${2:?usage: Scripts/fuzz.sh TARGET SECONDS}
shift 2
case "$target" in
    lesson) product=FuzzLesson ;;
    run) product=FuzzRun ;;
    answer) product=FuzzAnswer ;;
    progress) product=FuzzProgress ;;
    *) echo "unknown target '$target': lesson, run, answer or progress" >&2; exit 64 ;;
esac

# Its own build folder: the sanitizer flags touch every module, and must not mix with the
# normal build's products. Release by default: about ten times the inputs a second of a debug
# build (FUZZ_CONFIG=debug for better stack traces).
# FUZZ_SANITIZE=fuzzer drops the address sanitizer (Swift checks bounds and overflow itself;
# ASan adds the C shim and the runtime) for about three times the inputs a second.
config=${FUZZ_CONFIG:-release}
sanitize=${FUZZ_SANITIZE:-fuzzer,address}
scratch=.build/fuzz-${sanitize//,/-}
CLUSTERTUTOR_FUZZ=1 swift build -c "$config" --scratch-path "$scratch" --product "$product" \
    -Xswiftc -sanitize="$sanitize" -Xswiftc -parse-as-library 2>&1 | grep -v "Cannot export local symbol" >&2 || true
binary=$scratch/$config/$product
[ -x "$binary" ] || { echo "build of $product failed" >&2; exit 1; }

corpus=.build/fuzz-corpus/$target
artifacts=.build/fuzz-artifacts/$target/
mkdir -p "$corpus" "$artifacts"
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
case "$target" in
    lesson|run)
        cp Lessons/*.md "$seeds"/
        rm -f "$seeds/README.md"
        cp Fuzz/seeds/lessons/* "$seeds"/ 2>/dev/null || true
        dict=(-dict=Fuzz/lesson.dict) ;;
    answer)
        cp Fuzz/seeds/answers/* "$seeds"/ 2>/dev/null || true
        dict=() ;;
    progress)
        cp Fuzz/seeds/progress/* "$seeds"/ 2>/dev/null || true
        dict=() ;;
esac

# -timeout: an input that runs longer is a hang; -rss_limit_mb: one that grows beyond is a leak
# or a runaway. -max_len: a lesson is small; longer inputs only slow the search.
exec "$binary" "$corpus" "$seeds" "${dict[@]}" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
    -max_len=8192 -artifact_prefix="$artifacts" -print_final_stats=1 "$@"
