# DRW + CDT (Bag of Tricks' deferred form): temperatures 1, plain cross-
# entropy, until epoch 80, where the reference schedule's DRW starts; CDT
# (gamma 0.2) from then on. MNIST-LT (ratio 100), ResNet-8, 100 epochs.
_base_ = ['./cdt_resnet8_100e_mnist-lt.py']

model = dict(head=dict(loss=dict(start_epoch=80)))
