# Entry point kept where users expect it: ce/ce_resnet8_100e_mnist-lt.py
_base_ = ['./ce/ce_resnet8_100e_mnist-lt.py']
