# RIDE (3 experts, reduced widths) on Fashion-MNIST-LT (ratio 100), the CPU
# recipe of every row in docs/fashion_mnist_lt.md: ResNet-8 depth, 15
# epochs, DRW (LDAM weights and diversity temperatures) from epoch 12, where
# the lr drops. The schedule is the shared CPU one (no Nesterov, weight
# decay 2e-4), so the row compares with LDAM-DRW's.
_base_ = [
    '../_base_/models/ride_resnet8_mnist.py',
    '../_base_/datasets/fashion_mnist_lt.py',
    '../_base_/schedules/fashion_mnist_lt_cpu.py',
    '../_base_/default_runtime.py',
]

custom_hooks = [dict(type='DRWHook', drw_epoch=12, beta=0.9999)]
batch_path = True
