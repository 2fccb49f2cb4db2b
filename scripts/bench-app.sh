#!/usr/bin/env bash
# Speed of the game against the engine's floor (examples/baseline.rs, a bare Bevy app with the
# same features showing one text node), side by side, under Xvfb with Mesa's software Vulkan:
#
#   - time from launch to the first presented frame of the title screen (median of RUNS);
#   - peak memory (VmHWM) at that frame (median of RUNS);
#   - CPU used over IDLE_SECONDS while waiting with no input: `leap` on the play screen of the
#     first scenario (reached by pressing Enter twice with xdotool), the bare app on its text.
#
# Goals: first frame within 1.1x the bare app, memory within 1.15x, idle CPU under 2% of a core.
# It is a benchmark, not a test: numbers depend on the machine, so compare runs on one machine.
#
#   scripts/bench-app.sh              # builds the release binaries first
#   RUNS=9 IDLE_SECONDS=20 SKIP_BUILD=1 scripts/bench-app.sh
#
# Needs xvfb-run, xauth, xdotool and mesa-vulkan-drivers (apt-get install xvfb xauth xdotool
# mesa-vulkan-drivers).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
IDLE_SECONDS=${IDLE_SECONDS:-10}
LEAP=target/release/leap
BASELINE=target/release/examples/baseline

if [ -z "${BENCH_UNDER_XVFB:-}" ]; then
    for tool in xvfb-run xdotool; do
        command -v "$tool" >/dev/null || { echo "bench-app: $tool is not installed" >&2; exit 2; }
    done
    if [ -z "${SKIP_BUILD:-}" ]; then
        cargo build --release --bin leap --example baseline
    fi
    # One X server for the whole run, so its start-up is in no measurement.
    exec xvfb-run -a -s "-screen 0 1280x800x24" env BENCH_UNDER_XVFB=1 "$0" "$@"
fi

export WGPU_BACKEND=vulkan
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
ticks_per_second=$(getconf CLK_TCK)

now_us() { date +%s%6N; }

# Prints "MILLISECONDS PEAK_KIB" for one launch of $1 to its first frame.
first_frame() {
    local data="$scratch/data-$RANDOM$RANDOM" start line
    start=$(now_us)
    line=$(LEAP_DATA_DIR="$data" LEAP_EXIT_AFTER_FIRST_FRAME=1 "$1" 2>/dev/null | grep '^first-frame ' || true)
    [ -n "$line" ] || { echo "bench-app: $1 printed no first-frame line" >&2; exit 1; }
    local unix_us peak
    unix_us=$(sed -E 's/.*unix_us=([0-9]+).*/\1/' <<<"$line")
    peak=$(sed -E 's/.*peak_rss=([0-9]+)kB.*/\1/' <<<"$line")
    echo "$(((unix_us - start) / 1000)) $peak"
}

# Prints the percentage of one core $1 (a pid) uses over IDLE_SECONDS.
cpu_percent() {
    local before after
    before=$(awk '{print $14 + $15}' "/proc/$1/stat")
    sleep "$IDLE_SECONDS"
    after=$(awk '{print $14 + $15}' "/proc/$1/stat")
    awk -v t="$((after - before))" -v hz="$ticks_per_second" -v s="$IDLE_SECONDS" 'BEGIN { printf "%.2f", 100 * t / hz / s }'
}

# Starts $1 (whose window is titled $2), focuses it (a focused window is woken more often
# than one in the background), waits for it to settle (pressing Enter twice for the game, to
# reach the play screen), and prints its idle CPU.
idle_cpu() {
    local data="$scratch/idle-$RANDOM$RANDOM" pid window
    LEAP_DATA_DIR="$data" "$1" >/dev/null 2>&1 &
    pid=$!
    sleep 6
    window=$(xdotool search --name "$2" | head -1)
    xdotool windowfocus "$window" 2>/dev/null || true
    if [ "$2" = "The Leap" ]; then
        xdotool key Return # the scenario list
        sleep 1
        xdotool key Return # the first scenario
        sleep 2
        # Starting a scenario writes the save: proof that the play screen is up.
        [ -f "$data/save.json" ] || { echo "bench-app: the game did not reach the play screen" >&2; kill "$pid"; exit 1; }
    fi
    sleep 1
    cpu_percent "$pid"
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -a leap_ms leap_kib base_ms base_kib
echo "first frame and peak memory, $RUNS runs each (alternating)..." >&2
for run in $(seq "$RUNS"); do
    read -r ms kib < <(first_frame "$LEAP")
    leap_ms+=("$ms"); leap_kib+=("$kib")
    read -r ms kib < <(first_frame "$BASELINE")
    base_ms+=("$ms"); base_kib+=("$kib")
    echo "  run $run: leap ${leap_ms[-1]} ms ${leap_kib[-1]} KiB, baseline ${base_ms[-1]} ms ${base_kib[-1]} KiB" >&2
done
echo "idle CPU over $IDLE_SECONDS s..." >&2
leap_cpu=$(idle_cpu "$LEAP" "The Leap")
base_cpu=$(idle_cpu "$BASELINE" "Baseline")

lm=$(printf '%s\n' "${leap_ms[@]}" | median)
bm=$(printf '%s\n' "${base_ms[@]}" | median)
lk=$(printf '%s\n' "${leap_kib[@]}" | median)
bk=$(printf '%s\n' "${base_kib[@]}" | median)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }

echo
echo "| measure | leap | bare Bevy app | ratio | goal |"
echo "|---|---|---|---|---|"
echo "| first frame of the title, median of $RUNS | $lm ms | $bm ms | $(ratio "$lm" "$bm") | within 1.1x |"
echo "| peak memory at that frame, median of $RUNS | $(mib "$lk") | $(mib "$bk") | $(ratio "$lk" "$bk") | within 1.15x |"
echo "| CPU while idle for $IDLE_SECONDS s (play screen / text) | $leap_cpu% | $base_cpu% | | under 2% of a core |"
