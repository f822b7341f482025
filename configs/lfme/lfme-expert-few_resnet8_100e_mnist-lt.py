# LFME's few-shot expert on MNIST-LT (ratio 100): the many-shot expert's recipe
# on the few-shot classes (6-9, 18 ... 4 images), numbered 0..3, with a batch
# of 16.
_base_ = ['./lfme-expert-many_resnet8_100e_mnist-lt.py']

model = dict(head=dict(num_classes=4))
data_preprocessor = dict(num_classes=4)
train_dataloader = dict(batch_size=16, dataset=dict(shot='few'))
val_dataloader = dict(dataset=dict(shot='few'))
test_dataloader = val_dataloader
