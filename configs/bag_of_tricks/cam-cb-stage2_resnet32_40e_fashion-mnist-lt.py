# CAM-based class-balanced re-sampling (Bag of Tricks, Zhang et al.), stage 2
# on Fashion-MNIST-LT with the CIFAR-10-LT recipe: the last 40 epochs, without
# mixup, on the CAM set of the stage-1 model, where every re-drawn image is a
# generated one. With stage 1 mixup-stage1_resnet32_160e_fashion-mnist-lt.py,
# the best combination of Bag of Tricks.
#   mim train mmpretrain \
#       configs/bag_of_tricks/mixup-stage1_resnet32_160e_fashion-mnist-lt.py \
#       --work-dir work_dirs/s1
#   python tools/generate_cam_set.py \
#       configs/bag_of_tricks/mixup-stage1_resnet32_160e_fashion-mnist-lt.py \
#       work_dirs/s1/epoch_160.pth \
#       --out work_dirs/cam_sets/fashion_mnist_lt_resnet32.npz
#   mim train mmpretrain \
#       configs/bag_of_tricks/cam-cb-stage2_resnet32_40e_fashion-mnist-lt.py \
#       --cfg-options load_from=work_dirs/s1/epoch_160.pth
_base_ = ['./cb-stage2_resnet32_40e_fashion-mnist-lt.py']

# the data set's own augmentation (crop, flip) on the CAM set
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='CAMAugmentedDataset',
        data_file='work_dirs/cam_sets/fashion_mnist_lt_resnet32.npz',
        pipeline=_base_.train_pipeline,
    ),
)
