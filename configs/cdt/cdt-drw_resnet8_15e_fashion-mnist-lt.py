# DRW + CDT (Bag of Tricks' deferred form): temperatures 1, plain cross-
# entropy, until epoch 12, where the reference schedule's DRW starts; CDT
# (gamma 0.2) from then on. Fashion-MNIST-LT (ratio 100), the CPU recipe
# (ResNet-8, 15 epochs).
_base_ = ['./cdt_resnet8_15e_fashion-mnist-lt.py']

model = dict(head=dict(loss=dict(start_epoch=12)))
