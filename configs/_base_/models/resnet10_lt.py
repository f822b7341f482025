# ResNet-10 with a linear classifier: OLTR's plain ImageNet-LT model (its
# stage 1, zhmiao/OpenLongTailRecognition-OLTR config/ImageNet_LT/stage_1.py)
# and LFME's backbone.
model = dict(
    type='ImageClassifier',
    backbone=dict(type='ResNet10', depth=10, out_indices=(3,)),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=1000,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
    ),
)
