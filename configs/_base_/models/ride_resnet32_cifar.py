# RIDE's multi-expert ResNet-32 (frank-xwang/RIDE-LongTailRecognition,
# ride_resnet_cifar.py): stem and first stage shared, each of the 3 experts
# its own second and third stages at reduced widths (24, 48 channels) and
# a cosine classifier scaled by 30; the prediction is the mean of the
# experts' logits. RIDELoss: LDAM per expert (max_m 0.5) plus the diversity
# term, -0.45 on CIFAR; DRWHook switches its weights and temperatures.
num_experts = 3
model = dict(
    type='ImageClassifier',
    backbone=dict(
        type='MultiExpertCifarResNet',
        depth=32,
        num_experts=num_experts,
        reduced_widths=True,
    ),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='MultiExpertClsHead',
        num_classes=10,
        in_channels=48,
        num_experts=num_experts,
        scale=30,
        loss=dict(type='RIDELoss', diversity_factor=-0.45, max_m=0.5),
    ),
)
