#!/usr/bin/env bash
# make bench: Hindsight's benchmarks, in release builds, medians of several runs.
#
#   BENCH_SIZES="1000 10000"  corpus sizes (post-mortems)
#   BENCH_RUNS=3              runs per figure (the median is reported)
#   BENCH_LARGE_RUNS=1        runs per figure for sizes above 10,000 (a 100,000 build takes minutes)
#   BENCH_HUGO_MAX=30000      largest size Hugo is run on (it took 8.3 GB at 30,000; 100,000 would
#                             not fit in this machine's 24 GB)
#   BENCH_DIR=/tmp/hindsight-bench   where corpora and outputs go (corpora are reused)
#
# For each size: full build (into an empty folder), rebuild after a one-file commit, `hindsight
# check` over the archive and on a pull request (`--changed-since HEAD~1`, one changed file), peak
# resident memory; the search index's size, the bytes a first query
# transfers and the keystroke-to-results latency in headless Chromium; and, when `hugo` is
# installed, Hugo (enableGitInfo, taxonomies, a JSON search dump) on the same Markdown in the same
# run, with our wall and processor (user + system) time over Hugo's. Prints a table and writes
# $BENCH_DIR/results.json.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${BENCH_SIZES:-"1000 10000"}
RUNS=${BENCH_RUNS:-3}
WORK=${BENCH_DIR:-/tmp/hindsight-bench}
BIN=$(swift build -c release --show-bin-path)
HERE=$PWD/Benchmarks
mkdir -p "$WORK"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# time_cmd OUTFILE CMD...: appends "seconds kilobytes user system" of one run to OUTFILE.
time_cmd() {
  local out=$1; shift
  local status=0
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/.time" "$@" > /dev/null 2> "$WORK/.stderr" || status=$?
  # time(1) puts "Command exited with non-zero status N" before the figures.
  tail -1 "$WORK/.time" >> "$out"
  return $status
}

search_figures() {  # SITE → JSON from the Chromium harness
  local site=$1 port_file=$WORK/.port result=$WORK/.search.json
  rm -f "$port_file" "$result"
  mkdir -p "$site/__bench__"
  cp "$HERE/search-harness.html" "$site/__bench__/index.html"
  python3 "$HERE/serve.py" "$site" "$port_file" "$result" 240 &
  local server=$!
  for _ in $(seq 100); do [ -f "$port_file" ] && break; sleep 0.1; done
  local profile; profile=$(mktemp -d)
  chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
    --user-data-dir="$profile" --remote-debugging-port=0 "http://127.0.0.1:$(cat "$port_file")/__bench__/" \
    > /dev/null 2>&1 &
  local browser=$!
  for _ in $(seq 1200); do [ -f "$result" ] && break; sleep 0.1; done
  kill "$browser" "$server" 2> /dev/null || true
  wait "$browser" "$server" 2> /dev/null || true
  rm -rf "$profile" "$site/__bench__" 2> /dev/null || true
  if [ -f "$result" ]; then cat "$result"; else echo '{"error":"no result from the browser"}'; fi
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(uname -r)"
echo "hindsight: $("$BIN/hindsight" --version)   hugo: $(command -v hugo > /dev/null && hugo version | cut -d' ' -f2 || echo 'not installed')"
printf '\n%-7s %-28s %10s\n' "size" "figure" "value"
JSON="{\"runs\": ${BENCH_RUNS:-3}, \"large_runs\": ${BENCH_LARGE_RUNS:-1}, \"sizes\": {"
first=1
for N in $SIZES; do
  RUNS=${BENCH_RUNS:-3}
  [ "$N" -gt 10000 ] && RUNS=${BENCH_LARGE_RUNS:-1}
  corpus=$WORK/corpus-$N
  if [ ! -d "$corpus/.git" ]; then
    echo "writing a $N post-mortem corpus…" >&2
    "$BIN/hindsight-corpus" "$corpus" "$N" > /dev/null
  fi
  out=$WORK/site-$N
  : > "$WORK/.full"; : > "$WORK/.check"; : > "$WORK/.incr"; : > "$WORK/.pr"; : > "$WORK/.hugo"
  for _ in $(seq "$RUNS"); do
    # Cold: no previous site and no cache beside it (the history walk would resume from it).
    rm -rf "$out" "$WORK/.site-$N.cache"
    time_cmd "$WORK/.full" "$BIN/hindsight" build --repo "$corpus" --output "$out" || { cat "$WORK/.stderr" >&2; exit 1; }
  done
  for _ in $(seq "$RUNS"); do
    time_cmd "$WORK/.check" "$BIN/hindsight" check --repo "$corpus" || true
  done
  # One new commit that changes one post-mortem, then a build into the existing site.
  victim=$(git -C "$corpus" ls-files Content | sed -n 1p)
  for r in $(seq "$RUNS"); do
    printf '\nEdited in benchmark run %s.\n' "$r" >> "$corpus/$victim"
    git -C "$corpus" -c user.name=Bench -c user.email=bench@example.invalid commit -qam "Edit one post-mortem"
    time_cmd "$WORK/.incr" "$BIN/hindsight" build --repo "$corpus" --output "$out"
  done
  # What CI runs on a pull request: only the post-mortem the last commit changed is reported on.
  for _ in $(seq "$RUNS"); do
    time_cmd "$WORK/.pr" "$BIN/hindsight" check --repo "$corpus" --changed-since HEAD~1 || true
  done
  full=$(awk '{print $1}' "$WORK/.full" | median); rss=$(awk '{print $2}' "$WORK/.full" | sort -n | tail -1)
  full_user=$(awk '{print $3}' "$WORK/.full" | median); full_sys=$(awk '{print $4}' "$WORK/.full" | median)
  full_cpu=$(awk '{print $3 + $4}' "$WORK/.full" | median)
  check=$(awk '{print $1}' "$WORK/.check" | median); incr=$(awk '{print $1}' "$WORK/.incr" | median)
  pr=$(awk '{print $1}' "$WORK/.pr" | median)
  index_bytes=$(du -sb "$out/search" | cut -f1); index_files=$(find "$out/search" -type f | wc -l)
  search=$(search_figures "$out")
  hugo_s=null; ratio=null; hugo_rss=null; hugo_cpu=null; hugo_user=null; hugo_sys=null; cpu_ratio=null
  if command -v hugo > /dev/null && [ "$N" -le "${BENCH_HUGO_MAX:-30000}" ]; then
    hugo_site=$WORK/hugo-$N
    rm -rf "$hugo_site" && mkdir -p "$hugo_site"
    cp -r "$HERE/hugo/layouts" "$hugo_site/layouts"
    sed "s|^contentDir = .*|contentDir = \"$corpus/Content\"|" "$HERE/hugo/hugo.toml" > "$corpus/hugo.toml"
    for _ in $(seq "$RUNS"); do
      rm -rf "$hugo_site/public" "$hugo_site/cache"
      time_cmd "$WORK/.hugo" hugo --quiet --source "$corpus" --layoutDir "$hugo_site/layouts" \
        --destination "$hugo_site/public" --cacheDir "$hugo_site/cache" || true
    done
    rm -f "$corpus/hugo.toml"
    hugo_s=$(awk '{print $1}' "$WORK/.hugo" | median)
    hugo_rss=$(awk '{print $2}' "$WORK/.hugo" | sort -n | tail -1)
    ratio=$(awk -v a="$full" -v b="$hugo_s" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "null" }')
    hugo_user=$(awk '{print $3}' "$WORK/.hugo" | median); hugo_sys=$(awk '{print $4}' "$WORK/.hugo" | median)
    hugo_cpu=$(awk '{print $3 + $4}' "$WORK/.hugo" | median)
    cpu_ratio=$(awk -v a="$full_cpu" -v b="$hugo_cpu" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "null" }')
  fi
  printf '%-7s %-28s %9ss\n' "$N" "full build (median)" "$full"
  printf '%-7s %-28s %9ss (user %s, system %s)\n' "$N" "full build processor time" "$full_cpu" "$full_user" "$full_sys"
  printf '%-7s %-28s %9sMB\n' "$N" "peak resident memory" "$((rss / 1024))"
  printf '%-7s %-28s %9ss\n' "$N" "build after one-file commit" "$incr"
  printf '%-7s %-28s %9ss\n' "$N" "hindsight check" "$check"
  printf '%-7s %-28s %9ss\n' "$N" "check --changed-since HEAD~1" "$pr"
  printf '%-7s %-28s %8skB\n' "$N" "search index on disk" "$((index_bytes / 1024))"
  printf '%-7s %-28s %10s\n' "$N" "search index files" "$index_files"
  printf '%-7s %-28s %10s\n' "$N" "search (Chromium)" "$search"
  if [ "$hugo_s" != null ]; then
    printf '%-7s %-28s %9ss (ours/hugo %s)\n' "$N" "hugo build (median)" "$hugo_s" "$ratio"
    printf '%-7s %-28s %9ss (user %s, system %s; ours/hugo %s)\n' "$N" "hugo processor time" "$hugo_cpu" "$hugo_user" "$hugo_sys" "$cpu_ratio"
    printf '%-7s %-28s %9sMB\n' "$N" "hugo peak resident memory" "$((hugo_rss / 1024))"
  fi
  [ $first = 1 ] || JSON="$JSON,"
  first=0
  JSON="$JSON \"$N\": {\"full_build_s\": $full, \"peak_rss_kb\": $rss, \"one_file_commit_build_s\": $incr, \"check_s\": $check, \"check_changed_since_s\": $pr, \"search_index_bytes\": $index_bytes, \"search_index_files\": $index_files, \"search\": $search, \"hugo_s\": $hugo_s, \"hugo_peak_rss_kb\": $hugo_rss, \"ratio_to_hugo\": $ratio, \"full_build_cpu_s\": $full_cpu, \"full_build_user_s\": $full_user, \"full_build_system_s\": $full_sys, \"hugo_cpu_s\": $hugo_cpu, \"hugo_user_s\": $hugo_user, \"hugo_system_s\": $hugo_sys, \"cpu_ratio_to_hugo\": $cpu_ratio}"
done
JSON="$JSON}}"
echo "$JSON" > "$WORK/results.json"
echo "written: $WORK/results.json"
