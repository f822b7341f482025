# The feature cloud's baseline on Fashion-MNIST-LT: the same cosine
# classifier and loss with no cloud (spread_scale=0), i.e. cross-entropy on
# 30 x the cosines.
_base_ = ['./feature-cloud_resnet8_15e_fashion-mnist-lt.py']

model = dict(head=dict(loss=dict(spread_scale=0.0)))
