# Entry point kept where users expect it:
# ldam_drw/ldam-drw_resnet8_100e_mnist-lt.py
_base_ = ['./ldam_drw/ldam-drw_resnet8_100e_mnist-lt.py']
