# ResNet-34 for 32x32 images (mmpretrain's ResNet_CIFAR: 3x3 stride-1 stem,
# no max-pool), the network weight balancing trains on CIFAR-LT, with a
# linear classifier and cross-entropy.
model = dict(
    type='ImageClassifier',
    backbone=dict(type='ResNet_CIFAR', depth=34),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
    ),
)
