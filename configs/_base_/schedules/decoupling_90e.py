# The Decoupling paper's representation learning
# (facebookresearch/classifier-balancing): SGD, batch 512, lr 0.2, momentum
# 0.9, weight decay 5e-4, a cosine decay to 0 over 90 epochs.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.2, momentum=0.9, weight_decay=5e-4)
)
param_scheduler = [
    dict(type='CosineAnnealingLR', by_epoch=True, T_max=90, eta_min=0.0)
]
train_cfg = dict(by_epoch=True, max_epochs=90, val_interval=10)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=512)
