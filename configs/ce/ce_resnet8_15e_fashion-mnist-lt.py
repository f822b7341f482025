# Cross-entropy baseline on Fashion-MNIST-LT (ratio 100), the CPU recipe:
# ResNet-8 on the 28x28 images, 15 epochs (docs/fashion_mnist_lt.md).
_base_ = [
    '../_base_/models/resnet8_mnist.py',
    '../_base_/datasets/fashion_mnist_lt.py',
    '../_base_/schedules/fashion_mnist_lt_cpu.py',
    '../_base_/default_runtime.py',
]

# The batch-level data path (mmlt.datasets.to_batch_path): the same
# augmentation, 1.7x faster end to end on 2 CPU cores (docs/throughput.md);
# --cfg-options batch_path=False runs the per-sample pipeline.
batch_path = True
