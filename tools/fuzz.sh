#!/bin/sh
# fuzz.sh BUILD SECONDS: runs every libFuzzer harness of BUILD for SECONDS each on its
# corpus (tests/fuzz/corpus/NAME). New interesting inputs go to a scratch folder, crashes
# to tests/fuzz/crashes/; copy a fixed crash into the corpus so that `make check` replays it.
set -eu
BUILD=$1
SECONDS_EACH=$2
mkdir -p tests/fuzz/crashes
status=0
for bin in "$BUILD"/tests/fuzz/fuzz_*; do
    [ -x "$bin" ] || continue
    name=${bin##*/fuzz_}
    scratch=$(mktemp -d)
    echo "fuzz: $name for ${SECONDS_EACH}s"
    "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix=tests/fuzz/crashes/"$name"- "$scratch" tests/fuzz/corpus/"$name" || status=1
    rm -rf "$scratch"
done
exit $status
