# Stage 2 of deferred re-sampling run on its own: the last 40 epochs of the
# LDAM-DRW schedule scaled to 200 epochs (stage 1 is the first 160, at lr
# 0.1): lr 0.001 (x 0.01) for 20 epochs, then 1e-5 (x 0.0001).
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.001, momentum=0.9, weight_decay=2e-4)
)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[20], gamma=0.01)
]
train_cfg = dict(by_epoch=True, max_epochs=40, val_interval=40)
val_cfg = dict()
test_cfg = dict()
