# Decoupled stage 2 (Kang et al.): 10 epochs of SGD with a cosine decay on
# a frozen stage-1 representation. The stage-1 checkpoint comes as
# --cfg-options load_from=work_dirs/STAGE1/epoch_N.pth.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4)
)
param_scheduler = [
    dict(type='CosineAnnealingLR', by_epoch=True, T_max=10, begin=0, end=10)
]
train_cfg = dict(by_epoch=True, max_epochs=10, val_interval=10)
val_cfg = dict()
test_cfg = dict()
# Frozen parameters have no gradients: DDP must not wait for them.
model_wrapper_cfg = dict(
    type='MMDistributedDataParallel', find_unused_parameters=True
)
