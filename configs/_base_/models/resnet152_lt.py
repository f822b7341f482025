# ResNet-152 with a linear classifier (the Decoupling paper's backbone for
# Places-LT).
_base_ = ['./resnet50_lt.py']

model = dict(backbone=dict(depth=152))
