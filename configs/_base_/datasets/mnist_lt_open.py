# MNIST-LT with an open set (OLTR's open-set test): digits 4 and 5 are held
# out of training, so the model knows 8 classes, 400 ... 4 images (ratio
# 100: digits 0-3 and 6-9, relabelled 0-7); the test split keeps the
# held-out digits' 200 images labelled -1 beside the 800 known ones.
_base_ = ['./mnist_lt.py']

open_classes = [4, 5]
data_preprocessor = dict(num_classes=8)
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='OpenSetSplit',
        open_classes=open_classes,
        dataset=_base_.train_dataloader.dataset,
    )
)
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='OpenSetSplit',
        open_classes=open_classes,
        keep_open=True,
        dataset=_base_.val_dataloader.dataset,
    )
)
# the known classes' accuracy, then the open-set F-measure at 0.5, as on
# Fashion-MNIST-LT (fashion_mnist_lt_open.py: OLTR's 0.1 rejects nothing
# over 8 classes)
val_evaluator = [
    _base_.val_evaluator,
    dict(type='OpenSetFMeasure', threshold=0.5),
]
test_dataloader = val_dataloader
test_evaluator = val_evaluator
