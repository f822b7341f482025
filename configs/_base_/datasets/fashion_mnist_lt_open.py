# Fashion-MNIST-LT with an open set (OLTR's open-set test): Coat (4) and
# Sandal (5) are held out of training, so the model knows 8 classes, 6000
# ... 60 images (ratio 100: T-shirt, Trouser, Pullover, Dress, Shirt,
# Sneaker, Bag, Ankle boot, relabelled 0-7); the test split keeps the held-out
# classes' 2,000 images labelled -1 beside the 8,000 known ones. Each is
# close to known classes (a coat to a pullover or shirt, a sandal to a
# sneaker), as an unseen class of the same domain is.
_base_ = ['./fashion_mnist_lt.py']

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
# the known classes' accuracy (shot groups: many 0-3, medium Shirt, few
# 5-7), then the open-set F-measure. OLTR's threshold, 0.1, rejects nothing
# over 8 classes (the top probability is at least 1/8): an image is
# "unknown" here when its top class has even odds or less, 0.5 (mmlt's
# choice, fixed before any run).
val_evaluator = [
    _base_.val_evaluator,
    dict(type='OpenSetFMeasure', threshold=0.5),
]
test_dataloader = val_dataloader
test_evaluator = val_evaluator
