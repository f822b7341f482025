# A feature cloud for the tail classes (mmlt's reading of LEAP, Liu et al.,
# CVPR 2020; mmlt/models/losses/feature_cloud_loss.py) on MNIST-LT (ratio
# 100): ResNet-8, the cosine classifier (scale 30), MNIST-LT's 100 epochs;
# head classes: more than 100 images (the many-shot group).
_base_ = [
    '../_base_/models/resnet8_mnist_ldam.py',
    '../_base_/datasets/mnist_lt.py',
    '../_base_/schedules/mnist_lt_100e.py',
    '../_base_/default_runtime.py',
]

model = dict(
    head=dict(
        loss=dict(
            _delete_=True,
            type='FeatureCloudLoss',
            num_classes=10,
            head_thr=100,
        )
    )
)
default_hooks = dict(logger=dict(interval=10))
