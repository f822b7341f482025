# CAM-based class-balanced re-sampling (Bag of Tricks, Zhang et al.), stage 2
# on Fashion-MNIST-LT, the CPU recipe: the last 3 of 15 epochs (20%, as 20 of
# 100 on MNIST-LT), without mixup, on the CAM set of the stage-1 model, where
# every re-drawn image is a generated one. With stage 1
# mixup-stage1_resnet8_12e_fashion-mnist-lt.py, the best combination of Bag
# of Tricks.
#   mim train mmpretrain \
#       configs/bag_of_tricks/mixup-stage1_resnet8_12e_fashion-mnist-lt.py \
#       --work-dir work_dirs/s1
#   python tools/generate_cam_set.py \
#       configs/bag_of_tricks/mixup-stage1_resnet8_12e_fashion-mnist-lt.py \
#       work_dirs/s1/epoch_12.pth \
#       --out work_dirs/cam_sets/fashion_mnist_lt_resnet8.npz
#   mim train mmpretrain \
#       configs/bag_of_tricks/cam-cb-stage2_resnet8_3e_fashion-mnist-lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_12.pth
# ./cam-cb-stage2_resnet32_40e_fashion-mnist-lt.py with the model and
# schedule of ./cb-stage2_resnet8_3e_fashion-mnist-lt.py.
_base_ = ['./cam-cb-stage2_resnet32_40e_fashion-mnist-lt.py']

model = dict(backbone=dict(depth=8))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[2], gamma=0.01)
]
train_cfg = dict(max_epochs=3, val_interval=3)
train_dataloader = dict(
    dataset=dict(data_file='work_dirs/cam_sets/fashion_mnist_lt_resnet8.npz')
)

# The batch-level data path (mmlt.datasets.to_batch_path): the same
# augmentation, 1.7x faster end to end on 2 CPU cores (docs/throughput.md);
# --cfg-options batch_path=False runs the per-sample pipeline.
batch_path = True
