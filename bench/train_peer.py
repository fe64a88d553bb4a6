"""PyTorch peer of bench/train.ts: the same U-Net (depth 4, base 16, batch norm, 5 classes), Adam,
batch 8, 2 threads (or a CUDA device: argv[3] = cuda, timed to the device's completion);
argv[4], argv[5]: depth and base filters.
Prints one JSON line: ms/step per size, 512² inference ms, peak RSS."""
import json, resource, sys, time
import torch
import torch.nn as nn

def block(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01), nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01), nn.ReLU(inplace=True))

class Unet(nn.Module):
    def __init__(self, depth=4, base=16, classes=5):
        super().__init__()
        self.enc = nn.ModuleList([block(1 if i == 0 else base * 2 ** (i - 1), base * 2 ** i) for i in range(depth)])
        self.bottleneck = block(base * 2 ** (depth - 1), base * 2 ** depth)
        self.up = nn.ModuleList([nn.ConvTranspose2d(base * 2 ** (i + 1), base * 2 ** i, 2, stride=2) for i in reversed(range(depth))])
        self.dec = nn.ModuleList([block(base * 2 ** (i + 1), base * 2 ** i) for i in reversed(range(depth))])
        self.logits = nn.Conv2d(base, classes, 1)
    def forward(self, x):
        skips = []
        for e in self.enc:
            x = e(x); skips.append(x); x = nn.functional.max_pool2d(x, 2)
        x = self.bottleneck(x)
        for up, dec in zip(self.up, self.dec):
            x = dec(torch.cat([skips.pop(), up(x)], 1))
        return torch.softmax(self.logits(x), 1)

def main():
    torch.set_num_threads(2)
    torch.manual_seed(0)
    sizes = [int(s) for s in sys.argv[1].split(',')] if len(sys.argv) > 1 else [128, 256]
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    device = torch.device(sys.argv[3] if len(sys.argv) > 3 else "cpu")
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    depth, base = (int(sys.argv[4]), int(sys.argv[5])) if len(sys.argv) > 5 else (4, 16)
    model = Unet(depth, base).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "device": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu", "steps": {}, "cpu_steps": {}}
    for s in sizes:
        x = torch.rand(8, 1, s, s, device=device)
        y = nn.functional.one_hot(torch.randint(0, 5, (8, s, s), device=device), 5).permute(0, 3, 1, 2).float()
        def step():
            opt.zero_grad()
            p = model(x)
            loss = -(y * torch.log(p + 1e-7)).sum(1).mean()
            loss.backward(); opt.step()
            loss.item()  # reads the loss back, as the tfjs bench does
        step(); step()  # warm-up (cuDNN picks its algorithms on the first calls)
        sync()
        t, c = time.perf_counter(), time.process_time()
        for _ in range(steps): step()
        sync()
        out["steps"][str(s)] = (time.perf_counter() - t) / steps * 1000
        out["cpu_steps"][str(s)] = (time.process_time() - c) / steps * 1000
    model.eval()
    with torch.no_grad():
        x = torch.rand(1, 1, 512, 512, device=device)
        model(x).cpu()
        t = time.perf_counter(); model(x).cpu(); out["infer512_ms"] = (time.perf_counter() - t) * 1000
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))

if __name__ == '__main__':
    main()
