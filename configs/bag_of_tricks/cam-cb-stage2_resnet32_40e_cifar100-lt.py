# CAM-based class-balanced re-sampling (Bag of Tricks, Zhang et al.), stage 2
# on CIFAR-100-LT (ratio 100): the last 40 epochs, without mixup, on the CAM
# set of the stage-1 model, where every re-drawn image is a generated one. With
# stage 1 mixup-stage1_resnet32_160e_cifar100-lt.py, the best combination of
# Bag of Tricks.
#   mim train mmpretrain \
#       configs/bag_of_tricks/mixup-stage1_resnet32_160e_cifar100-lt.py \
#       --work-dir work_dirs/s1
#   python tools/generate_cam_set.py \
#       configs/bag_of_tricks/mixup-stage1_resnet32_160e_cifar100-lt.py \
#       work_dirs/s1/epoch_160.pth --out work_dirs/cam_sets/cifar100_lt.npz
#   mim train mmpretrain \
#       configs/bag_of_tricks/cam-cb-stage2_resnet32_40e_cifar100-lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_160.pth
_base_ = ['./cb-stage2_resnet32_40e_cifar100-lt.py']

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='CAMAugmentedDataset',
        data_file='work_dirs/cam_sets/cifar100_lt.npz',
        pipeline=[
            dict(type='RandomCrop', crop_size=32, padding=4),
            dict(type='RandomFlip', prob=0.5, direction='horizontal'),
            dict(type='PackInputs'),
        ],
    ),
)
