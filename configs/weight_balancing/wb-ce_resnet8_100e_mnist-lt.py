# Weight balancing, stage 1 on MNIST-LT: the MNIST-LT cross-entropy recipe
# (ResNet-8, batch 64, 100 epochs, lr 0.1 with warm-up, x0.01 at epochs 80
# and 90) with the release's raised weight decay, 5e-3. Its lr 0.01
# with a cosine decay undertrains in MNIST-LT's 1,600 iterations (68.8
# top-1 after stage 1, seed 0; ./README.md).
# Both stages, one seed (README.md):
#   cd configs/weight_balancing && python ../../tools/benchmark.py \
#       wb-ce_resnet8_100e_mnist-lt.py+wb-cb-maxnorm_resnet8_10e_mnist-lt.py \
#       --seeds 0
_base_ = ['../ce/ce_resnet8_100e_mnist-lt.py', './_base_wb.py']

optim_wrapper = dict(optimizer=dict(weight_decay=5e-3))
