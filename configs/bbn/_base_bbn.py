# BBN (Zhou et al., CVPR 2020), the settings every data set's recipe shares.
# A data set's BBN config is its cross-entropy config (../ce/) and this file
# (which brings the hook below), with these:
#   model = _base_.bbn_model
#   train_dataloader = dict(batch_size=2 * B, sampler=_base_.bbn_sampler)
# and the paper's schedule (warm-up, lr x 0.01 at 60% and 80%) at its length.

# The backbone's last residual block is duplicated into a conventional and
# a re-balancing branch; one linear classifier a branch, mixed by alpha.
bbn_model = dict(type='BBNClassifier', head=dict(type='BBNHead'))

# Pairs of an instance-sampled and a reversed-sampled image (p_j ∝ 1/n_j),
# in turn: a batch of 2B images holds BBN's two batches of B. An epoch is
# the dataset once in the conventional branch.
bbn_sampler = dict(_delete_=True, type='BilateralBranchSampler')

# alpha = 1 - (T / T_max)^2 in epoch T (0-based) of T_max. A real key: no
# cross-entropy config sets custom_hooks.
custom_hooks = [
    dict(type='CumulativeLearningHook', schedule='parabolic_decay')
]


# The paper's code's CIFAR schedule (Megvii-Nanjing/BBN, configs/cifar10.yaml:
# WarmupMultiStepLR) at each length: linear warm-up from lr / 3 over 5
# epochs, lr x 0.01 at 60% (epoch 120 of 200) and again at 80% (160).
bbn_200e_param_scheduler = [
    dict(type='LinearLR', start_factor=1 / 3, by_epoch=True, begin=0, end=5),
    dict(type='MultiStepLR', by_epoch=True, milestones=[120, 160], gamma=0.01),
]
bbn_100e_param_scheduler = [
    dict(type='LinearLR', start_factor=1 / 3, by_epoch=True, begin=0, end=5),
    dict(type='MultiStepLR', by_epoch=True, milestones=[60, 80], gamma=0.01),
]
# the Fashion-MNIST-LT CPU recipe's 15 epochs: one warm-up epoch, as its
# cross-entropy schedule (../_base_/schedules/fashion_mnist_lt_cpu.py)
bbn_15e_param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1 / 3,
        by_epoch=True,
        begin=0,
        end=1,
        convert_to_iter_based=True,
    ),
    dict(type='MultiStepLR', by_epoch=True, milestones=[9, 12], gamma=0.01),
]
