"""PyTorch CPU peer for bench/infer.ts: the libs/unet U-Net (buildUnet) rebuilt in torch, timed per 512² slice.

Usage: infer_torch.py BASE DEPTH SIZE REPS THREADS → one JSON line {params, seconds_per_slice, ...}.
"""
import json
import sys
import time

import torch
from torch import nn

# tfjs BatchNormalization epsilon (torch defaults to 1e-5)
TFJS_BN_EPS = 1e-3


def conv_bn_relu(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout, eps=TFJS_BN_EPS), nn.ReLU(inplace=True))


def block(cin, cout):
    return nn.Sequential(conv_bn_relu(cin, cout), conv_bn_relu(cout, cout))


class Unet(nn.Module):
    """Encoder blocks + 2×2 max-pool, bottleneck + dropout, ConvTranspose(2, stride 2) + concat(skip, up) + block, 1×1 conv, softmax."""

    def __init__(self, base, depth, classes=5, dropout=0.2):
        super().__init__()
        self.enc = nn.ModuleList()
        cin = 1
        for level in range(depth):
            self.enc.append(block(cin, base * 2 ** level))
            cin = base * 2 ** level
        self.pool = nn.MaxPool2d(2)
        self.bottleneck = block(cin, base * 2 ** depth)
        self.dropout = nn.Dropout(dropout)
        self.up = nn.ModuleList()
        self.dec = nn.ModuleList()
        cin = base * 2 ** depth
        for level in reversed(range(depth)):
            f = base * 2 ** level
            self.up.append(nn.ConvTranspose2d(cin, f, 2, stride=2))
            self.dec.append(block(2 * f, f))
            cin = f
        self.logits = nn.Conv2d(cin, classes, 1)

    def forward(self, x):
        skips = []
        for enc in self.enc:
            x = enc(x)
            skips.append(x)
            x = self.pool(x)
        x = self.dropout(self.bottleneck(x))
        for up, dec, skip in zip(self.up, self.dec, reversed(skips)):
            x = dec(torch.cat([skip, up(x)], 1))
        return torch.softmax(self.logits(x), 1)


def main():
    base, depth, size, reps, threads = (int(a) for a in sys.argv[1:6])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = Unet(base, depth).eval()
    # parameters + BatchNorm running statistics: what tfjs countParams() counts
    params = sum(p.numel() for p in model.parameters()) + sum(b.numel() for n, b in model.named_buffers() if 'running' in n)
    x = torch.rand(1, 1, size, size)
    times = []
    with torch.no_grad():
        model(x)  # warm-up
        for _ in range(reps):
            t = time.perf_counter()
            model(x)
            times.append(time.perf_counter() - t)
    times.sort()
    print(json.dumps({"engine": "pytorch-cpu", "torch": torch.__version__, "threads": threads, "params": params, "seconds_per_slice": times[len(times) // 2], "times": times}))


if __name__ == "__main__":
    main()
