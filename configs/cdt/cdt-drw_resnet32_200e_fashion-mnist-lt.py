# DRW + CDT (Bag of Tricks' deferred form): temperatures 1, plain cross-
# entropy, until epoch 160, where the reference schedule's DRW starts; CDT
# (gamma 0.2) from then on. Fashion-MNIST-LT (ratio 100) with the CIFAR-10-LT
# recipe (ResNet-32, 200 epochs).
_base_ = ['./cdt_resnet32_200e_fashion-mnist-lt.py']

model = dict(head=dict(loss=dict(start_epoch=160)))
