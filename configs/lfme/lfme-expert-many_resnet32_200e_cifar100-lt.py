# LFME's many-shot expert on CIFAR-100-LT (ratio 100): cross-entropy
# on the many-shot classes only (0-34, 500 ... 102 images),
# numbered 0..34 (ShotSubset), with the data set's recipe
# (ResNet-32, 200 epochs). The batch shrinks with the group, as the
# official experts' do (ImageNet-LT: 128, 64 and 32 for many, medium
# and few).
_base_ = ['../ce/ce_resnet32_200e_cifar100-lt.py']

subset = dict(type='ShotSubset', shot='many', many_thr=100, few_thr=20)
model = dict(head=dict(num_classes=35))
data_preprocessor = dict(num_classes=35)
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
