# iNaturalist 2018: 8,142 species, 437,513 training images; the validation
# split is the test split, as in the Decoupling paper. ImageNet-LT's
# pipelines and loaders (imagenet_lt.py) on the iNaturalist list files.
_base_ = ['./imagenet_lt.py']

data_root = 'data/inaturalist2018'
num_classes = 8142

data_preprocessor = dict(num_classes=num_classes)
train_dataloader = dict(
    dataset=dict(
        data_root=data_root,
        ann_file='iNaturalist18_train.txt',
        num_classes=num_classes,
    )
)
val_dataloader = dict(
    dataset=dict(
        data_root=data_root,
        ann_file='iNaturalist18_val.txt',
        train_ann_file='iNaturalist18_train.txt',
        num_classes=num_classes,
    )
)
test_dataloader = val_dataloader
