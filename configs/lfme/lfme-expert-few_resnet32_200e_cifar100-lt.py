# LFME's few-shot expert on CIFAR-100-LT (ratio 100): the many-shot
# expert's recipe on the few-shot classes (70-99, 19 ... 5 images),
# numbered 0..29, with a batch of 32.
_base_ = ['./lfme-expert-many_resnet32_200e_cifar100-lt.py']

model = dict(head=dict(num_classes=30))
data_preprocessor = dict(num_classes=30)
train_dataloader = dict(batch_size=32, dataset=dict(shot='few'))
val_dataloader = dict(dataset=dict(shot='few'))
test_dataloader = val_dataloader
