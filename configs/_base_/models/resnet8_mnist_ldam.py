# ResNet-8 (6n+2, n = 1) on 1-channel 28x28 digits, cosine classifier, LDAM.
model = dict(
    type='ImageClassifier',
    backbone=dict(type='CifarResNet', depth=8, in_channels=1),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LDAMHead',
        num_classes=10,
        in_channels=64,
        loss=dict(type='LDAMLoss', max_m=0.5, s=30),
    ),
)
