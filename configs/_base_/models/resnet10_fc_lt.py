# ResNet-10 with a 512-unit linear layer and ReLU after the pooling (the
# official ResNet10Feature's use_fc), then a linear classifier: LFME's
# ImageNet-LT experts and student (xiangly55/LFME, config/ImageNet_LT/*.py).
_base_ = ['./resnet10_lt.py']

model = dict(
    neck=dict(
        _delete_=True,
        type='LinearNeck',
        in_channels=512,
        out_channels=512,
        gap_dim=2,
        norm_cfg=None,
        act_cfg=dict(type='ReLU'),
    )
)
