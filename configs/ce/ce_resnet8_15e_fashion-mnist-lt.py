# Cross-entropy baseline on Fashion-MNIST-LT (ratio 100), the CPU recipe:
# ResNet-8 on the 28x28 images, 15 epochs (docs/fashion_mnist_lt.md).
_base_ = [
    '../_base_/models/resnet8_mnist.py',
    '../_base_/datasets/fashion_mnist_lt.py',
    '../_base_/schedules/fashion_mnist_lt_cpu.py',
    '../_base_/default_runtime.py',
]
