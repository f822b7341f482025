# The LDAM-DRW reference schedule shrunk for Fashion-MNIST-LT on 2 CPU cores
# (docs/fashion_mnist_lt.md): SGD, batch 128, lr 0.1, 15 epochs (1,755
# iterations), linear warm-up over the first epoch, lr x 0.01 from epoch 12
# (80%) and x 0.0001 from epoch 14 (the reference's 90% falls mid-epoch).
# One validation, at the end: 10,000 test images cost a third of an epoch.
_base_ = ['./cifar_lt_200e.py']

param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.2,
        by_epoch=True,
        begin=0,
        end=1,
        convert_to_iter_based=True,
    ),
    dict(type='MultiStepLR', by_epoch=True, milestones=[12, 14], gamma=0.01),
]
train_cfg = dict(max_epochs=15, val_interval=15)
