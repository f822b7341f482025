# CIFAR-100-LT as the LDAM-DRW reference builds it (exp profile, ratio 100).
_base_ = ['./cifar10_lt.py']

dataset_type = 'CIFAR100LT'
data_root = 'data/cifar100'

data_preprocessor = dict(num_classes=100)
train_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
test_dataloader = val_dataloader
