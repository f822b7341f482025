# OLTR's open-set test on ImageNet-LT (the official --test_open): the model
# of ./oltr_resnet10_60e_imagenet-lt.py, tested on the test list and on the
# official ImageNet_LT_open.txt, whose images (label -1) are of classes
# outside ImageNet-LT, in their own folder ImageNet_LT_open beside the
# lists. An image is "unknown" when its top softmax probability is below
# OLTR's 0.1.
#   mim test mmpretrain configs/oltr/oltr_resnet10_60e_imagenet-lt-open.py \
#       --checkpoint work_dirs/oltr_resnet10_60e_imagenet-lt/epoch_60.pth
_base_ = ['./oltr_resnet10_60e_imagenet-lt.py']

test_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[
            _base_.val_dataloader.dataset,
            dict(
                _base_.val_dataloader.dataset,
                ann_file='ImageNet_LT_open.txt',
                data_prefix='ImageNet_LT_open',
                allow_unknown=True,
            ),
        ],
    )
)
test_evaluator = [
    _base_.val_evaluator,
    dict(type='OpenSetFMeasure', threshold=0.1),
]
