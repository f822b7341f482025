# LFME's many-shot expert on CIFAR-10-LT (ratio 100): cross-entropy
# on the many-shot classes only (0-3, 5000 ... 1077 images),
# numbered 0..3 (ShotSubset), with the data set's recipe
# (ResNet-32, 200 epochs). The batch shrinks with the group, as the
# official experts' do (ImageNet-LT: 128, 64 and 32 for many, medium
# and few).
# mmlt's shot groups (many above 1000 images, few below 200, as on
# Fashion-MNIST-LT): with 100 / 20 CIFAR-10-LT has no few-shot class.
_base_ = ['../ce/ce_resnet32_200e_cifar10-lt.py']

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
