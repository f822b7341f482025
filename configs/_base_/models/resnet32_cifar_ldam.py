# ResNet-32 with the normalised (cosine) classifier and the LDAM loss.
# The class counts (margins) come from the training set (SetClassCountsHook).
model = dict(
    type='ImageClassifier',
    backbone=dict(type='CifarResNet', depth=32),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LDAMHead',
        num_classes=10,
        in_channels=64,
        loss=dict(type='LDAMLoss', max_m=0.5, s=30),
    ),
)
