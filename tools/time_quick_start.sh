#!/usr/bin/env bash
# Times the README quick start (`mim train mmpretrain configs/ldam_mnist_lt.py`)
# in two variants, alternated A B B A so that a drift of the machine falls on
# both, and prints each run's wall and user CPU seconds and its top-1.
#
#   tools/time_quick_start.sh idle   # CPUThreadsHook on against off
#   tools/time_quick_start.sh busy   # default against OMP_NUM_THREADS=1
#
# For "busy", start the other job first (e.g. another training) and keep it
# running throughout; for "idle", stop everything else. docs/throughput.md
# has the figures measured with it.
set -euo pipefail
mode=${1:?usage: $0 idle|busy}
out=${OUT:-work_dirs/time_quick_start}
mkdir -p "$out"
case $mode in
idle)
  a_name='hook on'
  b=(env) b_name='hook off'
  b_args=(--cfg-options default_hooks.cpu_threads.min_busy=1e9) ;;
busy)
  a_name='default'
  b=(env OMP_NUM_THREADS=1) b_name='OMP_NUM_THREADS=1'
  b_args=() ;;
*) echo "usage: $0 idle|busy" >&2; exit 2 ;;
esac
run() {  # tag, name, then the command with its arguments
  local tag=$1 name=$2; shift 2
  local log=$out/$tag.log
  /usr/bin/time -f '%e %U' -o "$out/$tag.time" "$@" > "$log" 2>&1
  read -r wall user < "$out/$tag.time"
  top1=$(grep -o 'lt/top1: [0-9.]*' "$log" | tail -1 | cut -d' ' -f2)
  printf '%-18s wall %7.1f s  user %7.1f s  top-1 %s\n' \
    "$name" "$wall" "$user" "$top1"
}
qs=(mim train mmpretrain configs/ldam_mnist_lt.py)
run a1 "$a_name" "${qs[@]}" --work-dir "$out/a1"
run b1 "$b_name" "${b[@]}" "${qs[@]}" --work-dir "$out/b1" "${b_args[@]}"
run b2 "$b_name" "${b[@]}" "${qs[@]}" --work-dir "$out/b2" "${b_args[@]}"
run a2 "$a_name" "${qs[@]}" --work-dir "$out/a2"
