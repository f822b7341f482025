# LFME's few-shot expert on CIFAR-10-LT (ratio 100): the many-shot
# expert's recipe on the few-shot classes (7-9, 139 ... 50 images),
# numbered 0..2, with a batch of 32.
_base_ = ['./lfme-expert-many_resnet32_200e_cifar10-lt.py']

model = dict(head=dict(num_classes=3))
data_preprocessor = dict(num_classes=3)
train_dataloader = dict(batch_size=32, dataset=dict(shot='few'))
val_dataloader = dict(dataset=dict(shot='few'))
test_dataloader = val_dataloader
