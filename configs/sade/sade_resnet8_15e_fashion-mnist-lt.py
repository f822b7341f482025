# SADE on Fashion-MNIST-LT (ratio 100), the CPU recipe of every row in
# docs/fashion_mnist_lt.md: 3 experts at ResNet-8 depth, tau 2, 15 epochs
# of the shared CPU schedule (lr x 0.01 from epoch 12), no DRW.
_base_ = [
    '../_base_/models/sade_resnet8_mnist.py',
    '../_base_/datasets/fashion_mnist_lt.py',
    '../_base_/schedules/fashion_mnist_lt_cpu.py',
    '../_base_/default_runtime.py',
]

batch_path = True
