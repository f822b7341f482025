# LDAM-DRW on Fashion-MNIST-LT (ratio 100), the CPU recipe: ResNet-8 on the
# 28x28 images, 15 epochs, re-weighting from epoch 12, where the lr drops
# (80% of training, as the paper's 160 of 200).
_base_ = [
    '../_base_/models/resnet8_mnist_ldam.py',
    '../_base_/datasets/fashion_mnist_lt.py',
    '../_base_/schedules/fashion_mnist_lt_cpu.py',
    '../_base_/default_runtime.py',
]

custom_hooks = [dict(type='DRWHook', drw_epoch=12, beta=0.9999)]

# The batch-level data path (mmlt.datasets.to_batch_path): the same
# augmentation, 1.7x faster end to end on 2 CPU cores (docs/throughput.md);
# --cfg-options batch_path=False runs the per-sample pipeline.
batch_path = True
