#!/usr/bin/env bash
# Serving benchmark: feedgate's server against nginx serving the very same bytes as a static
# file (gzip_static and etag on), both driven by wrk. Server and load generator are pinned to one
# core each; the two servers alternate and each case is repeated, the median kept.
#
# usage: tests/bench/serve/run.sh [BUILD_DIR]   (needs: deploy/install-deps.sh --with-bench)
# Last lines: serve_ratio_200=R1 serve_ratio_gzip=R2 serve_ratio_304=R3 (feedgate / nginx), and
# shaped_ratio=R (a shaped feed, ?filter_title=...&opencc=s2t after its first request, against
# the plain feed in the same run) with the first, uncached request of a 100-item feed's variants.
set -euo pipefail

build=${1:-build}
fixture=$build/tests/bench/bench_serve_fixture
duration=${BENCH_DURATION:-4}
repeats=${BENCH_REPEATS:-3}
conns=${BENCH_CONNECTIONS:-50}
server_cpu=${BENCH_SERVER_CPU:-0}
client_cpu=${BENCH_CLIENT_CPU:-1}
for tool in wrk nginx taskset curl; do
  command -v "$tool" >/dev/null || { echo "SKIPPED: $tool missing (deploy/install-deps.sh --with-bench)"; exit 77; }
done
[[ -x $fixture ]] || { echo "build it first: cmake --build $build --target bench_serve_fixture"; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fg_port=18481
ng_port=18482
big_port=18483

start_fixture() {  # PORT FEEDS ITEMS [COMPRESS [BODIES]] -> pid in $started
  mkdir -p "$work/$1"
  taskset -c "$server_cpu" "$fixture" "$1" "$work/$1" "$2" "$3" "${4:-1}" "${5:-files}" \
    >"$work/fixture-$1.log" 2>&1 &
  started=$!
  pids+=("$started")
  for _ in $(seq 1 1200); do
    grep -q ready "$work/fixture-$1.log" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "fixture on port $1 did not start" >&2
  exit 1
}

wait_for() {  # PORT WORD: until the fixture on PORT has logged WORD
  for _ in $(seq 1 1200); do
    grep -q "$2" "$work/fixture-$1.log" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "fixture on port $1 never said $2" >&2
  exit 1
}

# CPU time all threads of PID have used, in nanoseconds (scheduler statistics, so exact to the
# nanosecond where /proc/PID/stat counts 10 ms ticks): a request's own cost, however long it
# waited for a core on a loaded machine.
cpu_ns() { cat /proc/"$1"/task/*/schedstat | awk '{ s += $1 } END { printf "%.0f", s }'; }
# curl GETs URL; prints "WALL_MS CPU_MS": its time to the last byte and the server PID's CPU time.
timed_get() {  # PID URL
  local before after wall
  before=$(cpu_ns "$1")
  wall=$(curl -s -o /dev/null -w '%{time_total}' "$2")
  after=$(cpu_ns "$1")
  awk -v w="$wall" -v a="$before" -v b="$after" 'BEGIN { printf "%.2f %.2f\n", w * 1000, (b - a) / 1e6 }'
}

rss_mib() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
# Page cache held by the body files a process has open (they have no name; reach them by fd).
cache_mib() {
  local fds=()
  for fd in /proc/"$1"/fd/*; do
    [[ $(readlink "$fd") == */bodies/* ]] && fds+=("$fd")
  done
  ((${#fds[@]})) || { echo 0; return; }
  fincore -nb -o RES "${fds[@]}" | awk '{ s += $1 } END { printf "%.1f", s / 1048576 }'
}
# Highest RSS of PID while the command after it runs (sampled every 100 ms).
peak_rss_during() {
  local pid=$1 peak=0 now
  shift
  "$@" >/dev/null &
  local job=$!
  while kill -0 "$job" 2>/dev/null; do
    now=$(rss_mib "$pid")
    peak=$(awk -v a="$peak" -v b="$now" 'BEGIN { print (b > a ? b : a) }')
    sleep 0.1
  done
  wait "$job"
  echo "$peak"
}

start_fixture "$fg_port" 1 50
fg_pid=$started
wait_for "$fg_port" preloaded
mkdir -p "$work/www/feeds" "$work/nginx"
cp "$work/$fg_port/feed.atom" "$work/www/feeds/feed0.atom"
cp "$work/$fg_port/feed.atom.gz" "$work/www/feeds/feed0.atom.gz"
touch -r "$work/www/feeds/feed0.atom" "$work/www/feeds/feed0.atom.gz"
chmod -R a+rX "$work"  # nginx workers run as an unprivileged user
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  open_file_cache max=100 inactive=60s;
  types { application/atom+xml atom; }
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server {
    listen 127.0.0.1:$ng_port;
    root $work/www;
    gzip_static on;
    etag on;
  }
}
CONF
taskset -c "$server_cpu" nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
pids+=("$!")
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$ng_port/feeds/feed0.atom" && break; sleep 0.1; done

url_fg="http://127.0.0.1:$fg_port/feeds/feed0.atom"
# Keeps every item (all titles hold 杭州市), so the variant is as large as the plain feed.
shaped_query="filter_title=%E6%9D%AD%E5%B7%9E%E5%B8%82&opencc=s2t"
url_shaped="$url_fg?$shaped_query"
read -r first_shaped_ms first_shaped_cpu < <(timed_get "$fg_pid" "$url_shaped")
url_ng="http://127.0.0.1:$ng_port/feeds/feed0.atom"
etag_of() { curl -s -D - -o /dev/null "$1" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag" {print $2}'; }
etag_fg=$(etag_of "$url_fg")
etag_ng=$(etag_of "$url_ng")
# Same bytes on both sides, or the comparison means nothing.
cmp <(curl -s "$url_fg") <(curl -s "$url_ng") || { echo "bodies differ" >&2; exit 1; }
cmp <(curl -s -H 'Accept-Encoding: gzip' "$url_fg") <(curl -s -H 'Accept-Encoding: gzip' "$url_ng") ||
  { echo "gzip bodies differ" >&2; exit 1; }
size=$(stat -c %s "$work/$fg_port/feed.atom")
gz_size=$(stat -c %s "$work/$fg_port/feed.atom.gz")
idle_rss=$(rss_mib "$fg_pid")

# wrk's latency figures in microseconds: "1.23ms" -> 1230.
to_us() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) m = 1; else if (v ~ /ms$/) m = 1000; else m = 1000000; printf "%.0f", n * m }'; }

declare -A rps p50 p99
peak_rss=0
wrk_args() {  # CASE URL ETAG -> one argument per line
  printf '%s\n' taskset -c "$client_cpu" wrk -t1 -c"$conns" -d"${duration}s" --latency
  case $1 in
    gzip) printf '%s\n' -H 'Accept-Encoding: gzip' ;;
    304) printf '%s\n' -H "If-None-Match: $3" ;;
  esac
  printf '%s\n' "$2"
}
run_case() {  # SERVER CASE URL ETAG REP
  local out
  local -a cmd
  mapfile -t cmd < <(wrk_args "$2" "$3" "$4")
  out=$("${cmd[@]}")
  rps[$1,$2,$5]=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  p50[$1,$2,$5]=$(to_us "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
  p99[$1,$2,$5]=$(to_us "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  echo "  run $5: $1 $2: ${rps[$1,$2,$5]} req/s, p99 ${p99[$1,$2,$5]} us" >&2
  if [[ $1 == feedgate ]]; then
    local now
    now=$(rss_mib "$fg_pid")
    peak_rss=$(awk -v a="$peak_rss" -v b="$now" 'BEGIN { print (b > a ? b : a) }')
  fi
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "feed: 50 items, $size bytes identity, $gz_size bytes gzip; $conns connections, ${duration}s x $repeats per case"
echo "server on CPU $server_cpu, wrk on CPU $client_cpu. wrk command lines:"
for c in 200 gzip 304; do
  for pair in "$url_fg $etag_fg" "$url_ng $etag_ng"; do
    read -r u e <<<"$pair"
    mapfile -t cmd < <(wrk_args "$c" "$u" "$e")
    echo "  $(printf '%q ' "${cmd[@]}")"
  done
done
for rep in $(seq 1 "$repeats"); do
  for c in 200 gzip 304; do
    run_case feedgate "$c" "$url_fg" "$etag_fg" "$rep"
    run_case nginx "$c" "$url_ng" "$etag_ng" "$rep"
  done
  run_case shaped 200 "$url_shaped" "" "$rep"
done

# 10,000 feeds of 5 items: a request for one of them costs what it costs with one feed.
kill "$fg_pid"
# Without gzip/brotli variants, only so that 10,000 feeds are prepared in seconds.
start_fixture "$big_port" 10000 5 0
big_pid=$started
start_fixture 18485 1 5 0
one_pid=$started
big_url="http://127.0.0.1:$big_port/feeds/feed9999.atom"
for rep in $(seq 1 "$repeats"); do
  run_case feedgate10k 200 "$big_url" "" "$rep"
  run_case feedgate1 200 "http://127.0.0.1:18485/feeds/feed0.atom" "" "$rep"
done
big_rss=$(rss_mib "$big_pid")
kill "$big_pid" "$one_pid"

# 100 feeds of 100 items: the memory targets, idle and while 50 connections read all 100 feeds.
# Bodies in files (as feedgate serves them), then in the heap (the design before) to compare.
start_fixture 18484 100 100
mem_pid=$started
wait_for 18484 preloaded  # as `feedgate serve`, OpenCC's dictionaries load at start
# The first request of a variant renders it: filter, OpenCC, Atom (identity: nothing to compress
# yet), all 100 items kept. The first converts the items; then five new variants (a new `limit`
# each) of the same items, whose conversions are found again. Wall time (curl) and the server's
# CPU time; their medians, and the lowest wall time (the load only ever adds to it).
url_100="http://127.0.0.1:18484/feeds/feed0.atom?$shaped_query"
read -r first_ever_ms first_ever_cpu < <(timed_get "$mem_pid" "$url_100&limit=100000")
uncached=() uncached_cpu=()
for n in 1001 1002 1003 1004 1005; do
  read -r wall cpu < <(timed_get "$mem_pid" "$url_100&limit=$n")
  uncached+=("$wall") uncached_cpu+=("$cpu")
done
# Items converted for the first time: other feeds' variants (feed 0's items were converted above).
fresh=() fresh_cpu=()
for f in 1 2 3 4 5; do
  read -r wall cpu < <(timed_get "$mem_pid" "http://127.0.0.1:18484/feeds/feed$f.atom?$shaped_query")
  fresh+=("$wall") fresh_cpu+=("$cpu")
done
gzip_first=() gzip_first_cpu=()
for n in 2001 2002 2003 2004 2005; do
  before=$(cpu_ns "$mem_pid")
  wall=$(curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w '%{time_total}' "$url_100&limit=$n")
  gzip_first+=("$(awk -v w="$wall" 'BEGIN { printf "%.2f", w * 1000 }')")
  gzip_first_cpu+=("$(awk -v a="$before" -v b="$(cpu_ns "$mem_pid")" 'BEGIN { printf "%.2f", (b - a) / 1e6 }')")
done
read -r cached_100_ms cached_100_cpu < <(timed_get "$mem_pid" "$url_100&limit=1001")
mem_rss=$(rss_mib "$mem_pid")
mem_cache=$(cache_mib "$mem_pid")
rotate=$(dirname "$0")/rotate.lua
mem_load_cmd=(taskset -c "$client_cpu" wrk -t1 -c"$conns" -d"${duration}s" -s "$rotate"
  "http://127.0.0.1:18484/")
mem_load_rss=$(FEEDS=100 peak_rss_during "$mem_pid" "${mem_load_cmd[@]}")
kill "$mem_pid"
start_fixture 18486 100 100 1 memory
heap_rss=$(rss_mib "$started")
kill "$started"

printf '\n%-13s %-6s %12s %10s %10s\n' server case "req/s" "p50 ms" "p99 ms"
declare -A med
for key in "feedgate 200" "nginx 200" "feedgate gzip" "nginx gzip" "feedgate 304" "nginx 304" \
  "shaped 200" "feedgate1 200" "feedgate10k 200"; do
  read -r s c <<<"$key"
  r=() a=() b=()
  for rep in $(seq 1 "$repeats"); do
    r+=("${rps[$s,$c,$rep]}") a+=("${p50[$s,$c,$rep]}") b+=("${p99[$s,$c,$rep]}")
  done
  med[$s,$c]=$(median "${r[@]}")
  label=$s
  [[ $s == feedgate1 ]] && label="fg 1 feed*"
  [[ $s == feedgate10k ]] && label="fg 10k feeds*"
  printf '%-13s %-6s %12.0f %10.3f %10.3f\n' "$label" "$c" "${med[$s,$c]}" \
    "$(awk -v u="$(median "${a[@]}")" 'BEGIN { print u / 1000 }')" \
    "$(awk -v u="$(median "${b[@]}")" 'BEGIN { print u / 1000 }')"
done
echo "(* a 5-item feed, with 1 and with 10,000 feeds published; same cost expected)"
echo
echo "feedgate RSS: idle ${idle_rss} MiB, under $conns connections ${peak_rss} MiB;" \
  "10,000 feeds x 5 items ${big_rss} MiB"
echo "100 feeds x 100 items: RSS idle ${mem_rss} MiB, under $conns connections reading all" \
  "100 feeds ${mem_load_rss} MiB; the bodies' page cache ${mem_cache} MiB (bodies in the heap" \
  "instead: RSS ${heap_rss} MiB)"
echo "  load: $(printf '%q ' "${mem_load_cmd[@]}")"
# Little's law for wrk's closed loop: mean latency = connections / throughput.
awk -v c="$conns" -v r="${med[feedgate,200]}" 'BEGIN {
  printf "closed loop: %d connections at %.0f req/s (200 identity) wait %.2f ms on average;", c, r, c / r * 1000
  printf " p99 < 2 ms needs > %.0f req/s\n", c / 0.002 }'
ratio() { awk -v a="${med[feedgate,$1]}" -v b="${med[nginx,$1]}" 'BEGIN { printf "%.2f", a / b }'; }
echo "serve_ratio_200=$(ratio 200) serve_ratio_gzip=$(ratio gzip) serve_ratio_304=$(ratio 304)"
lowest() { printf '%s\n' "$@" | sort -g | head -1; }
echo "shaped feed (?$shaped_query), first (uncached) requests, wall ms / server CPU ms:"
echo "  50-item feed, first variant: ${first_shaped_ms} / ${first_shaped_cpu}"
echo "  100-item feed, first variant (its items converted): ${first_ever_ms} / ${first_ever_cpu}"
echo "  100-item feeds never converted before (feeds 1-5): median $(median "${fresh[@]}") / $(median "${fresh_cpu[@]}"), lowest wall $(lowest "${fresh[@]}") (${fresh[*]})"
echo "  new variants of converted items: median $(median "${uncached[@]}") / $(median "${uncached_cpu[@]}"), lowest wall $(lowest "${uncached[@]}") (${uncached[*]})"
echo "  the same with Accept-Encoding: gzip (gzip prepared for it): median $(median "${gzip_first[@]}") / $(median "${gzip_first_cpu[@]}") (${gzip_first[*]})"
echo "  then cached: ${cached_100_ms} / ${cached_100_cpu}"
awk -v a="${med[shaped,200]}" -v b="${med[feedgate,200]}" 'BEGIN { printf "shaped_ratio=%.2f\n", a / b }'
