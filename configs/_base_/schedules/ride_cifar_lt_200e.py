# RIDE's CIFAR-LT schedule (config_imbalance_cifar100_ride.json): the
# LDAM-DRW reference schedule (200 epochs, 5 of warm-up, lr x 0.01 from
# epoch 160 and x 0.0001 from 180) with Nesterov momentum and weight decay
# 5e-4.
_base_ = ['./cifar_lt_200e.py']

optim_wrapper = dict(
    optimizer=dict(
        type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True
    )
)
