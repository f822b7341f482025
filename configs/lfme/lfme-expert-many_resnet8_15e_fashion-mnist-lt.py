# LFME's many-shot expert on Fashion-MNIST-LT (ratio 100), the CPU recipe:
# cross-entropy on the many-shot classes only (0-3, 6000 ... 1292 images),
# numbered 0..3 (ShotSubset), with the data set's recipe. The batch shrinks
# with the group, as the official experts' do (ImageNet-LT: 128, 64 and 32 for
# many, medium and few).
_base_ = ['../ce/ce_resnet8_15e_fashion-mnist-lt.py']

subset = dict(type='ShotSubset', shot='many', many_thr=1000, few_thr=200)
model = dict(head=dict(num_classes=4))
data_preprocessor = dict(num_classes=4)
train_dataloader = dict(
    batch_size=128,
    dataset=dict(
        _delete_=True, dataset=_base_.train_dataloader.dataset, **subset
    ),
)
val_dataloader = dict(
    dataset=dict(
        _delete_=True, dataset=_base_.val_dataloader.dataset, **subset
    )
)
test_dataloader = val_dataloader
