#!/bin/sh
# Runs every libFuzzer target for FUZZ_SECONDS, seeded with the sample archive, or for FuzzTemplate with the
# theme's templates (called by `make fuzz`).
# A crash, a trap in an invariant, a timeout or running out of memory stops that target; the input is
# kept in Fuzz/Crashes/ and the script exits non-zero. Every such input becomes a regression test.
set -eu

cd "$(dirname "$0")"
seconds="${FUZZ_SECONDS:-60}"
targets="${FUZZ_TARGETS:-FuzzDocument FuzzTimeline FuzzTables FuzzCheck FuzzTemplate}"
bin="$(swift build -c release --show-bin-path)"
# libFuzzer prints the stack of a crash itself; Swift's backtracer would run under ASan and add noise.
export SWIFT_BACKTRACE=enable=no
mkdir -p Crashes
failed=""
for target in $targets; do
    corpus="Corpus/$target"
    mkdir -p "$corpus"
    # Seeds (libFuzzer keeps what adds coverage beside them): the theme's templates for the template
    # engine, every post-mortem of the sample archive for the others.
    if [ "$target" = FuzzTemplate ]; then
        cp ../Theme/templates/*.mustache "$corpus/"
    else
        find ../Content -name '*.md' -exec cp {} "$corpus/" \;
    fi
    echo "== $target: ${seconds} s"
    # -timeout: one input taking 10 s is a hang; -rss_limit_mb: 2 GB is unbounded memory;
    # -max_len: 64 KB inputs reach every construct without slowing each run.
    if ! "$bin/$target" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="Crashes/$target-" -print_final_stats=1 2>"$target.log"; then
        failed="$failed $target"
    fi
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)" "$target.log" || true
    grep -E "^(==[0-9]+==ERROR|SUMMARY|Fatal error|.*precondition)" "$target.log" || true
done
if [ -n "$failed" ]; then
    echo "Fuzzing found problems in:$failed (inputs in Fuzz/Crashes/, logs in Fuzz/*.log)"
    exit 1
fi
echo "No crashes, hangs or broken invariants."
