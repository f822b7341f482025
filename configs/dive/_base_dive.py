# DiVE's settings, written once (Bag of Tricks' configs/cao_cifar/DiVE/):
# the student's loss, and the gallery's 200-epoch schedule of the teacher
# and the student (linear warm-up over 5 epochs, lr x 0.01 at epoch 120 and
# again at 160). The MNIST-LT and Fashion-MNIST-LT CPU recipes keep their
# data set's own schedule, as every recipe of their tables does.

# T = 2, the teacher's distribution flattened by the power 0.5, half
# distillation and half Balanced Softmax.
dive_loss = dict(
    _delete_=True, type='DiVELoss', temperature=2.0, power=0.5, alpha=0.5
)

gallery_param_scheduler = [
    dict(type='LinearLR', start_factor=0.2, by_epoch=True, begin=0, end=5),
    dict(type='MultiStepLR', by_epoch=True, milestones=[120, 160], gamma=0.01),
]
