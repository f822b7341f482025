# Weight balancing, stage 2 on Fashion-MNIST-LT (ratio 100), the CPU
# recipe: the stage-1 ResNet-8 (./wb-ce_resnet8_15e_fashion-mnist-lt.py)
# frozen, its classifier fine-tuned for the paper's 10 epochs with
# class-balanced cross-entropy, weight decay 0.1 and MaxNorm (./_base_wb.py).
#   --cfg-options load_from=work_dirs/s1/epoch_15.pth
_base_ = [
    '../_base_/models/resnet8_mnist.py',
    '../_base_/datasets/fashion_mnist_lt.py',
    './_base_wb_stage2.py',
]

model = dict(head=dict(loss=_base_.stage2_loss))

# The batch-level data path (mmlt.datasets.to_batch_path): the same
# augmentation, 1.7x faster end to end on 2 CPU cores (docs/throughput.md);
# --cfg-options batch_path=False runs the per-sample pipeline.
batch_path = True
