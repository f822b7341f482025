# LFME's medium-shot expert on Fashion-MNIST-LT (ratio 100), the CPU recipe:
# the many-shot expert's recipe on the medium-shot classes (4-6, 774 ... 278
# images), numbered 0..2, with a batch of 64.
_base_ = ['./lfme-expert-many_resnet8_15e_fashion-mnist-lt.py']

model = dict(head=dict(num_classes=3))
data_preprocessor = dict(num_classes=3)
train_dataloader = dict(batch_size=64, dataset=dict(shot='medium'))
val_dataloader = dict(dataset=dict(shot='medium'))
test_dataloader = val_dataloader
