"""PyTorch peer of bench/train_scaling.ts: the same U-Net (depth 4, batch norm, 5 classes), Adam, batch 8,
the same CE + soft-Dice loss. One case per process (so peak RSS is per case):
  train_scaling_peer.py SIZE BASE THREADS STEPS [infer]
prints one JSON line: ms/step (wall and CPU), peak RSS; with `infer`, one 512² inference instead."""
import json, resource, sys, time
import torch
import torch.nn as nn
from train_peer import Unet  # the same network as the fixed-size peer

def loss_fn(p, y, w):
    # weighted CE (mean over pixels) + 1 − class-weighted soft Dice, as libs/unet/src/loss.ts
    ce = -(y * torch.log(p.clamp(1e-7, 1)) * w.view(1, -1, 1, 1)).sum() / (y.shape[0] * y.shape[2] * y.shape[3])
    inter = (y * p).sum((0, 2, 3))
    dice = (2 * inter + 1) / (y.sum((0, 2, 3)) + p.sum((0, 2, 3)) + 1)
    return ce + 1 - (dice * w).sum() / w.sum()

def main():
    size, base, threads, steps = (int(a) for a in sys.argv[1:5])
    infer = len(sys.argv) > 5 and sys.argv[5] == 'infer'
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = Unet(base=base)
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "size": size, "base": base}
    if infer:
        model.eval()
        with torch.no_grad():
            x = torch.rand(1, 1, 512, 512)
            model(x)
            t = time.perf_counter(); model(x); out["infer512_ms"] = (time.perf_counter() - t) * 1000
    else:
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
        w = torch.ones(5)
        x = torch.rand(8, 1, size, size)
        y = nn.functional.one_hot(torch.randint(0, 5, (8, size, size)), 5).permute(0, 3, 1, 2).float()
        def step():
            opt.zero_grad()
            loss = loss_fn(model(x), y, w)
            loss.backward(); opt.step()
        step()
        t, c = time.perf_counter(), time.process_time()
        for _ in range(steps): step()
        out["ms"] = (time.perf_counter() - t) / steps * 1000
        out["cpu_ms"] = (time.process_time() - c) / steps * 1000
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))

main()
