# A feature cloud for the tail classes (mmlt's reading of LEAP, Liu et al.,
# CVPR 2020; mmlt/models/losses/feature_cloud_loss.py) on Fashion-MNIST-LT
# (ratio 100), the CPU recipe: ResNet-8, the cosine classifier (scale 30),
# each tail image's angle to its class centre disturbed by the head classes'
# spread. Head classes: more than 1000 images (the data set's many-shot
# group, docs/fashion_mnist_lt.md).
_base_ = [
    '../_base_/models/resnet8_mnist_ldam.py',
    '../_base_/datasets/fashion_mnist_lt.py',
    '../_base_/schedules/fashion_mnist_lt_cpu.py',
    '../_base_/default_runtime.py',
]

model = dict(
    head=dict(
        loss=dict(
            _delete_=True,
            type='FeatureCloudLoss',
            num_classes=10,
            head_thr=1000,
        )
    )
)
# The batch-level data path (mmlt.datasets.to_batch_path): the same
# augmentation, 1.7x faster end to end on 2 CPU cores (docs/throughput.md);
# --cfg-options batch_path=False runs the per-sample pipeline.
batch_path = True
