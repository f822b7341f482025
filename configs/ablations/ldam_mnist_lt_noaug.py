# Ablation: LDAM-DRW on MNIST-LT without the random-crop augmentation.
_base_ = ['../ldam_mnist_lt.py']

train_dataloader = dict(dataset=dict(pipeline=[dict(type='PackInputs')]))
