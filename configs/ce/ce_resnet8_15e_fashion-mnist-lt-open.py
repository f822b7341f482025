# Cross-entropy on Fashion-MNIST-LT with an open set, the CPU recipe: 8
# known classes (Coat and Sandal held out, their test images labelled -1;
# configs/_base_/datasets/fashion_mnist_lt_open.py). OLTR's stage 1 and the
# plain model's open-set row.
_base_ = [
    '../_base_/models/resnet8_mnist.py',
    '../_base_/datasets/fashion_mnist_lt_open.py',
    '../_base_/schedules/fashion_mnist_lt_cpu.py',
    '../_base_/default_runtime.py',
]

model = dict(head=dict(num_classes=8))

# The batch-level data path (mmlt.datasets.to_batch_path), as the closed
# recipe; --cfg-options batch_path=False runs the per-sample pipeline.
batch_path = True
