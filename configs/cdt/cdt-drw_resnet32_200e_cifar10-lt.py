# DRW + CDT (Bag of Tricks' deferred form): temperatures 1, plain cross-
# entropy, until epoch 160, where the reference schedule's DRW starts; CDT
# (gamma 0.2) from then on. CIFAR-10-LT (ratio 100), ResNet-32, the LDAM-DRW
# schedule (200 epochs).
_base_ = ['./cdt_resnet32_200e_cifar10-lt.py']

model = dict(head=dict(loss=dict(start_epoch=160)))
