# CAM-based class-balanced re-sampling (Bag of Tricks, Zhang et al.), stage 2
# on MNIST-LT: the last 20 epochs, without mixup, on the CAM set of the
# stage-1 model, where every re-drawn image is a generated one. With stage 1
# mixup-stage1_resnet8_80e_mnist-lt.py, the best combination of Bag of Tricks.
#   mim train mmpretrain \
#       configs/bag_of_tricks/mixup-stage1_resnet8_80e_mnist-lt.py \
#       --work-dir work_dirs/s1
#   python tools/generate_cam_set.py \
#       configs/bag_of_tricks/mixup-stage1_resnet8_80e_mnist-lt.py \
#       work_dirs/s1/epoch_80.pth --out work_dirs/cam_sets/mnist_lt.npz
#   mim train mmpretrain \
#       configs/bag_of_tricks/cam-cb-stage2_resnet8_20e_mnist-lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_80.pth
_base_ = ['./cb-stage2_resnet8_20e_mnist-lt.py']

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
)
