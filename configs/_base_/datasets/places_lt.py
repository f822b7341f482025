# Places-LT (Liu et al., CVPR 2019): 365 scene classes, 62.5 K training
# images (4,980 down to 5 a class). ImageNet-LT's pipelines and loaders
# (imagenet_lt.py) on the Places-LT list files.
_base_ = ['./imagenet_lt.py']

data_root = 'data/places365'
num_classes = 365

data_preprocessor = dict(num_classes=num_classes)
train_dataloader = dict(
    dataset=dict(
        data_root=data_root,
        ann_file='Places_LT_train.txt',
        num_classes=num_classes,
    )
)
val_dataloader = dict(
    dataset=dict(
        data_root=data_root,
        ann_file='Places_LT_test.txt',
        train_ann_file='Places_LT_train.txt',
        num_classes=num_classes,
    )
)
test_dataloader = val_dataloader
