# Class-balanced re-sampling without CAM, stage 2 on Fashion-MNIST-LT, the
# CPU recipe: cam-cb-stage2_resnet8_3e_fashion-mnist-lt.py on the plain
# training set, whose re-drawn images are repeats (the ablation of CAM);
# ./cb-stage2_resnet32_40e_fashion-mnist-lt.py on ResNet-8.
#   mim train mmpretrain \
#       configs/bag_of_tricks/mixup-stage1_resnet8_12e_fashion-mnist-lt.py \
#       --work-dir work_dirs/s1
#   mim train mmpretrain \
#       configs/bag_of_tricks/cb-stage2_resnet8_3e_fashion-mnist-lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_12.pth
_base_ = ['./cb-stage2_resnet32_40e_fashion-mnist-lt.py']

model = dict(backbone=dict(depth=8))
# The last 3 of the CPU recipe's 15 epochs (20%, as 20 of 100 on MNIST-LT)
# at its last learning rates: 0.001 for 2 epochs, then 1e-5 (its lr drops
# at epochs 12 and 14).
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[2], gamma=0.01)
]
train_cfg = dict(max_epochs=3, val_interval=3)

# The batch-level data path (mmlt.datasets.to_batch_path): the same
# augmentation, 1.7x faster end to end on 2 CPU cores (docs/throughput.md);
# --cfg-options batch_path=False runs the per-sample pipeline.
batch_path = True
