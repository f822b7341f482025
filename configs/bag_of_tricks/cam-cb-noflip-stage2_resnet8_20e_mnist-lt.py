# Ablation of cam-cb-stage2_resnet8_20e_mnist-lt.py: the CAM set without the
# horizontal flip, which does not keep a digit a digit (a flipped 3 is no 3).
#   python tools/generate_cam_set.py \
#       configs/bag_of_tricks/mixup-stage1_resnet8_80e_mnist-lt.py \
#       work_dirs/s1/epoch_80.pth --transforms translate rotate scale \
#       --out work_dirs/cam_sets/mnist_lt_noflip.npz
_base_ = ['./cam-cb-stage2_resnet8_20e_mnist-lt.py']

# what tools/benchmark.py passes to tools/generate_cam_set.py
cam_generation = dict(transforms=['translate', 'rotate', 'scale'])
train_dataloader = dict(
    dataset=dict(data_file='work_dirs/cam_sets/mnist_lt_noflip.npz')
)
