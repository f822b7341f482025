# ResNet-8 (6n+2, n = 1) on 1-channel 28x28 digits, linear classifier, CE.
model = dict(
    type='ImageClassifier',
    backbone=dict(type='CifarResNet', depth=8, in_channels=1),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        init_cfg=dict(type='Kaiming', layer='Linear', mode='fan_in'),
    ),
)
