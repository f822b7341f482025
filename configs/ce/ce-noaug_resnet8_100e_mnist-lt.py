# Ablation: cross-entropy on MNIST-LT without the random-crop augmentation.
_base_ = ['./ce_resnet8_100e_mnist-lt.py']

train_dataloader = dict(dataset=dict(pipeline=[dict(type='PackInputs')]))
