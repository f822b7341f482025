#!/usr/bin/env bash
# Weight balancing on Fashion-MNIST-LT over stage 1's weight decay: stage 1
# (the CE CPU recipe with the given weight decay) and stage 2 (class-balanced
# CE, weight decay 0.1, MaxNorm) from each, 3 seeds, beside the main table's
# runs (CE is weight decay 2e-4, wb-ce 5e-3). Each stage 2 gets a config of
# its own name, so that tools/benchmark.py keeps its runs apart.
#
#   OMP_NUM_THREADS=1 tools/wb_weight_decay_sweep.sh 5e-4 1e-3 2e-3
#
# Run two at a time on 2 cores (e.g. `... 5e-4 2e-3 &` and `... ce 1e-3`);
# `ce` is stage 2 on CE's own checkpoints. The tables print per call, and
# docs/fashion_mnist_lt.md has the figures measured with it.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 ce|WEIGHT_DECAY..." >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
wb=$root/configs/weight_balancing
configs=${SWEEP_CONFIGS:-$root/work_dirs/wb_sweep_configs}
mkdir -p "$configs"
F=fashion-mnist-lt
recipes=()
for wd in "$@"; do
  if [ "$wd" != ce ] && ! [[ $wd =~ ^[0-9]+(\.[0-9]*)?(e-?[0-9]+)?$ ]]; then
    echo "$0: a weight decay is 'ce' or a number >= 0 (e.g. 5e-4), not '$wd'" >&2
    exit 2
  fi
  if [ "$wd" = ce ]; then
    stage1=$root/configs/ce/ce_resnet8_15e_$F.py
  else
    stage1=$configs/wb-ce-wd${wd}_resnet8_15e_$F.py
    printf "_base_ = ['%s']\noptim_wrapper = dict(optimizer=dict(weight_decay=%s))\n" \
      "$wb/wb-ce_resnet8_15e_$F.py" "$wd" > "$stage1"
  fi
  stage2=$configs/wb-cb-maxnorm-after-${wd}_resnet8_10e_$F.py
  printf "_base_ = ['%s']\n" "$wb/wb-cb-maxnorm_resnet8_10e_$F.py" > "$stage2"
  recipes+=("$stage1" "$stage1+$stage2")
done
cd "$root"
exec python tools/benchmark.py "${recipes[@]}" --seeds 0 1 2 \
  --work-dir "work_dirs/benchmark_$F" --resume
