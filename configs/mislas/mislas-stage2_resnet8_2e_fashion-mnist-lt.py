# MiSLAS stage 2 on Fashion-MNIST-LT (CIFAR-10-LT's settings (10 classes), the
# CPU recipe: the 10 stage-2 epochs that follow 200 scaled to its 15, rounded
# up to 2, as cRT's): ./_base_stage2.py.
#   mim train mmpretrain \
#       configs/mislas/mislas-stage1_resnet8_15e_fashion-mnist-lt.py \
#       --work-dir work_dirs/s1 &&
#   mim train mmpretrain \
#       configs/mislas/mislas-stage2_resnet8_2e_fashion-mnist-lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_15.pth
_base_ = [
    '../_base_/models/resnet8_mnist.py',
    '../_base_/datasets/fashion_mnist_lt.py',
    './_base_stage2.py',
]

model = dict(head=_base_.las_lws_head)
train_dataloader = dict(
    sampler=dict(_delete_=True, type='ClassBalancedSampler')
)
param_scheduler = [
    dict(type='CosineAnnealingLR', by_epoch=True, T_max=2, begin=0, end=2)
]
train_cfg = dict(max_epochs=2, val_interval=2)

# The batch-level data path, as the CPU recipes (docs/throughput.md).
batch_path = True
