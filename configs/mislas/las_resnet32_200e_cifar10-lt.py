# Label-aware smoothing as the loss of a one-stage run, as Bag of Tricks'
# gallery row (smooth_head 0.4, smooth_tail 0.1, concave: its CIFAR configs),
# on CIFAR-10-LT (ratio 100), ResNet-32, the LDAM-DRW schedule (200 epochs).
_base_ = ['../ce/ce_resnet32_200e_cifar10-lt.py']

model = dict(
    head=dict(
        loss=dict(
            _delete_=True,
            type='LabelAwareSmoothingLoss',
            smooth_head=0.4,
            smooth_tail=0.1,
            shape='concave',
        )
    )
)
