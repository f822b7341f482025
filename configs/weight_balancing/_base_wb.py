# Weight balancing (Alshammari et al., CVPR 2022), the settings its two
# stages share on every data set, as the authors' release
# (ShadeAlsha/LTR-weight-balancing, demo1/demo2 on CIFAR-100-LT) sets them.
# Stage 1: cross-entropy, SGD lr 0.01, momentum 0.9, weight decay 5e-3
# (the tuned, larger value), cosine decay to 0.
stage1_optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=5e-3)
)
# Stage 2: the stage-1 classifier fine-tuned (not re-initialised) on the
# frozen representation, with plain sampling and a class-balanced loss
# (effective number, beta 0.9999), SGD lr 0.01, momentum 0.9, weight decay
# 0.1, cosine decay to 0 over 10 epochs, and MaxNorm after every step.
stage2_optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=0.1)
)
stage2_loss = dict(
    _delete_=True,
    type='WeightedCrossEntropyLoss',
    weighting='class_balanced',
    beta=0.9999,
)
# The release's threshold 0.1 is relative: the radius is
# min + 0.1 * (max - min) of the stage-1 classifier's class norms.
stage2_hooks = [
    dict(type='ClassifierRetrainingHook', trainable=['head'], reinit=False),
    dict(
        type='MaxNormHook',
        params=['head.fc.weight'],
        threshold=0.1,
        relative=True,
    ),
]

# The release's CIFAR-LT recipe: ResNet-34 (../_base_/models/
# resnet34_cifar.py), batch 64, stage 1 for 320 epochs.
cifar_batch = dict(batch_size=64)
cifar_stage1_param_scheduler = [
    dict(type='CosineAnnealingLR', by_epoch=True, T_max=320, begin=0, end=320)
]
cifar_stage1_train_cfg = dict(max_epochs=320, val_interval=20)
