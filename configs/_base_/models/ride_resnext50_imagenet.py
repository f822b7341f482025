# RIDE's multi-expert ResNeXt-50 (32x4d) for ImageNet-scale data
# (frank-xwang/RIDE-LongTailRecognition, fb_resnets/RIDEResNeXt.py): stem
# and first two stages shared, each of the 3 experts its own third and
# fourth stages at reduced widths (planes 192 and 384, 1536 features) and a
# cosine classifier scaled by 30. RIDELoss as the official ImageNet-LT
# config sets it: diversity factor -0.2 (its default), per-class
# temperatures' reweight factor 0.02.
num_experts = 3
model = dict(
    type='ImageClassifier',
    backbone=dict(
        type='MultiExpertResNeXt',
        depth=50,
        num_experts=num_experts,
        reduced_widths=True,
    ),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='MultiExpertClsHead',
        num_classes=1000,
        in_channels=1536,
        num_experts=num_experts,
        scale=30,
        loss=dict(
            type='RIDELoss',
            diversity_factor=-0.2,
            reweight_factor=0.02,
            max_m=0.5,
        ),
    ),
)
