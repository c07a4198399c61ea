"""PyTorch (CPU) side of `npm run bench:train`: trains and runs the same models as scripts/bench/train.ts on
synthetic data and prints one JSON object per model. Usage:
    python3 train-torch.py --threads N --batch 64 --train-steps S --infer-steps S small resnet20
Architectures must stay identical to train.ts (layer order, widths, padding, loss, optimizer)."""

import argparse
import json
import time

import torch
from torch import nn


def small_cnn() -> nn.Module:
    # conv32-pool-conv64-pool-conv128-GAP-dense10 on 32×32×3, 'same' 3×3 convs with ReLU.
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, 10),
    )


class Block(nn.Module):
    """ResNet basic block; projection (1×1 conv + BN) shortcut where the shape changes."""

    def __init__(self, cin: int, cout: int, stride: int):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return torch.relu(y + (x if self.short is None else self.short(x)))


def resnet20() -> nn.Module:
    layers = [nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU()]
    cin = 16
    for cout, stride in ((16, 1), (32, 2), (64, 2)):
        for i in range(3):
            layers.append(Block(cin, cout, stride if i == 0 else 1))
            cin = cout
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10)]
    return nn.Sequential(*layers)


def measure(name: str, batch: int, train_steps: int, infer_steps: int) -> dict:
    model = {"small": small_cnn, "resnet20": resnet20}[name]()
    x = torch.randn(batch, 3, 32, 32)
    y = torch.randint(0, 10, (batch,))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    model.train()
    for _ in range(3):
        step()
    start = time.perf_counter()
    for _ in range(train_steps):
        step()
    train = train_steps * batch / (time.perf_counter() - start)

    model.eval()
    with torch.no_grad():
        for _ in range(3):
            model(x)
        start = time.perf_counter()
        for _ in range(infer_steps):
            model(x).sum().item()
        infer = infer_steps * batch / (time.perf_counter() - start)
    return {"model": name, "train_img_s": train, "infer_img_s": infer}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--train-steps", type=int, default=20)
    parser.add_argument("--infer-steps", type=int, default=40)
    parser.add_argument("models", nargs="+")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    for name in args.models:
        result = measure(name, args.batch, args.train_steps, args.infer_steps)
        result.update(torch=torch.__version__, threads=torch.get_num_threads())
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
