# LFME's medium-shot expert on MNIST-LT (ratio 100): the many-shot expert's
# recipe on the medium-shot classes (3-5, 86 ... 30 images), numbered 0..2,
# with a batch of 32.
_base_ = ['./lfme-expert-many_resnet8_100e_mnist-lt.py']

model = dict(head=dict(num_classes=3))
data_preprocessor = dict(num_classes=3)
train_dataloader = dict(batch_size=32, dataset=dict(shot='medium'))
val_dataloader = dict(dataset=dict(shot='medium'))
test_dataloader = val_dataloader
