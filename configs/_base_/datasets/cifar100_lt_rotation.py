# CIFAR-100-LT with RIDE's and SADE's training augmentation (crop, flip,
# rotation in [-15, 15] degrees); both official codes normalise it with
# CIFAR-10's statistics, as the LDAM-DRW reference and these bases do.
_base_ = ['./cifar10_lt_rotation.py']

dataset_type = 'CIFAR100LT'
data_root = 'data/cifar100'

data_preprocessor = dict(num_classes=100)
train_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
test_dataloader = val_dataloader
