# CAM-based square-root re-sampling (Bag of Tricks, Zhang et al.), stage 2 on
# MNIST-LT: the last 20 epochs, without mixup, on the CAM set of the stage-1
# model, where every re-drawn image is a generated one.
#   mim train mmpretrain configs/bag_of_tricks/mixup_stage1_mnist_lt.py \
#       --work-dir work_dirs/s1
#   python tools/generate_cam_set.py \
#       configs/bag_of_tricks/mixup_stage1_mnist_lt.py \
#       work_dirs/s1/epoch_80.pth --out work_dirs/cam_sets/mnist_lt.npz
#   mim train mmpretrain configs/bag_of_tricks/cam_sqrt_stage2_mnist_lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_80.pth
_base_ = [
    '../_base_/models/resnet8_mnist.py',
    '../_base_/datasets/mnist_lt.py',
    '../_base_/schedules/drs_stage2_20e.py',
    '../_base_/default_runtime.py',
]

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='CAMAugmentedDataset',
        data_file='work_dirs/cam_sets/mnist_lt.npz',
        pipeline=[
            dict(type='RandomCrop', crop_size=28, padding=2),
            dict(type='PackInputs'),
        ],
    ),
    sampler=dict(_delete_=True, type='SquareRootSampler'),
)
