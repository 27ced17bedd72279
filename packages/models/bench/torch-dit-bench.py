#!/usr/bin/env python3
"""PyTorch twin of dlm's kernel-benchmark network (packages/models/src/bench/bench-network.ts).

`dlm bench kernels --compare-torch` runs this script with the same network and batch sizes and prints its
figures beside dlm's. The network, written from bench-network.ts and the DiT backbone
(packages/models/src/backbones/dit/{dit,block,params}.ts):

  x      = vocab_embed[x_t] + pos_embed[:L]                      # [B, L, D], learned positions
  c      = SiLU(Linear(SiLU(Linear(feat(t)))))                     # [B, C]; feat = [cos(t·f), sin(t·f)], 256 wide,
                                                                   #   f_i = exp(-ln(10000)·i/128)
  block  : shift1, scale1, gate1, shift2, scale2, gate2 = Linear_C→6D(c).chunk(6)   # each [B, 1, D]
           h  = LN(x)·(1 + scale1) + shift1                         # LN: no affine, eps 1e-5
           q, k, v = h·Wq, h·Wk, h·Wv (one [3D, D] weight, no bias) → [B, H, L, hd]
           x  = x + gate1 · (softmax(q kᵀ / √hd) v → [B, L, D]) · Wout        (no bias)
           h2 = LN(x)·(1 + scale2) + shift2
           x  = x + gate2 · Linear_4D→D(GELU_tanh(Linear_D→4D(h2)))
  logits = Linear_D→V+1(LN(x))                                     # [B, L, V+1]; no final adaLN
  loss   = Σ_masked CE(logits, x0) / max(1, #masked)               # x_t = MASK (id V) w.p. t ~ U(0, 1)

Training step: forward, backward, AdamW (lr 3e-4, weight decay 0). Forward step: logits without autograd (dlm
also reads its logits back from the wasm heap; torch's are host memory already, so nothing is copied here).
The init follows the DiT's 'reference' init (adaLN and output layer zero), so the first loss is ≈ ln(V+1).
FLOPs (both sides count the same way, see benchNetworkFlops in bench-network.ts): the matmuls of one forward,
and 3× that for a training step. Threads: each figure is measured at 1 and 2 intra-op threads; the best is
reported. Prints one JSON object on stdout.
"""

import argparse
import ctypes
import json
import math
import os
import resource
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn


def blas_libraries():
    """Shared libraries of this process whose name says BLAS, LAPACK or MKL (after torch ran a matmul)."""
    libs = set()
    with open("/proc/self/maps", encoding="utf8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 6:
                name = os.path.basename(parts[5]).lower()
                if "blas" in name or "lapack" in name or "mkl" in name:
                    libs.add(parts[5])
    return sorted(libs)


def blas_kind(libs):
    """'openblas', 'mkl', 'reference' (netlib libblas, ~25x slower) or 'unknown'."""
    if any("openblas" in p.lower() for p in libs):
        return "openblas"
    if any("mkl" in os.path.basename(p).lower() for p in libs):
        return "mkl"
    if any(os.path.basename(p).startswith("libblas") for p in libs):
        return "reference"
    return "unknown"


class Block(nn.Module):
    def __init__(self, d, heads, cond):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.out = nn.Linear(d, d, bias=False)
        self.mlp0 = nn.Linear(d, 4 * d)
        self.mlp2 = nn.Linear(4 * d, d)
        self.ada = nn.Linear(cond, 6 * d)
        nn.init.zeros_(self.ada.weight)
        nn.init.zeros_(self.ada.bias)

    def forward(self, x, c):
        b, l, d = x.shape
        hd = d // self.heads
        shift1, scale1, gate1, shift2, scale2, gate2 = self.ada(c)[:, None, :].chunk(6, dim=2)  # 6 × [B, 1, D]
        h = F.layer_norm(x, (d,)) * (1 + scale1) + shift1
        q, k, v = self.qkv(h).view(b, l, 3, self.heads, hd).permute(2, 0, 3, 1, 4)  # 3 × [B, H, L, hd]
        att = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) * (1 / math.sqrt(hd)), dim=-1)  # [B, H, L, L]
        o = torch.matmul(att, v).transpose(1, 2).reshape(b, l, d)  # [B, L, D]
        x = x + gate1 * self.out(o)
        h2 = F.layer_norm(x, (d,)) * (1 + scale2) + shift2
        return x + gate2 * self.mlp2(F.gelu(self.mlp0(h2), approximate="tanh"))


class BenchDit(nn.Module):
    def __init__(self, a):
        super().__init__()
        d, cond = a.width, a.cond_dim
        self.vocab_embed = nn.Parameter(torch.empty(a.vocab + 1, d).uniform_(-1 / math.sqrt(d), 1 / math.sqrt(d)))
        self.pos_embed = nn.Parameter(torch.randn(a.length, d) * 0.02)
        half = 128  # 256 sinusoidal features of t
        self.register_buffer("freqs", torch.exp(-math.log(10000) * torch.arange(half, dtype=torch.float32) / half))
        self.sigma0 = nn.Linear(2 * half, cond)
        self.sigma2 = nn.Linear(cond, cond)
        self.blocks = nn.ModuleList([Block(d, a.heads, cond) for _ in range(a.blocks)])
        self.head = nn.Linear(d, a.vocab + 1)
        nn.init.zeros_(self.head.weight)
        nn.init.zeros_(self.head.bias)

    def forward(self, xt, t):
        b, l = xt.shape
        x = self.vocab_embed[xt] + self.pos_embed[:l]  # [B, L, D]
        args = t[:, None] * self.freqs[None, :]  # [B, 128]
        feat = torch.cat([torch.cos(args), torch.sin(args)], dim=1)  # [B, 256], cos first
        c = F.silu(self.sigma2(F.silu(self.sigma0(feat))))  # [B, C]
        for blk in self.blocks:
            x = blk(x, c)
        return self.head(F.layer_norm(x, (x.shape[-1],)))  # [B, L, V+1]


def forward_flops(a):
    """Matmul FLOPs of one forward (2·m·n·k each), as benchNetworkFlops in bench-network.ts."""
    n, d, b, l, c = a.batch * a.length, a.width, a.batch, a.length, a.cond_dim
    per_block = 2 * n * d * 3 * d + 2 * 2 * b * l * l * d + 2 * n * d * d + 2 * 2 * n * d * 4 * d + 2 * b * c * 6 * d
    return a.blocks * per_block + 2 * n * d * (a.vocab + 1) + 2 * b * (256 * c + c * c)


def sample_batch(a, g):
    t = torch.rand(a.batch, generator=g)
    x0 = torch.randint(0, a.vocab, (a.batch, a.length), generator=g)
    masked = torch.rand(a.batch, a.length, generator=g) < t[:, None]
    xt = torch.where(masked, torch.full_like(x0, a.vocab), x0)
    return x0, xt, masked.float(), t


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for name, default in [
        ("vocab", 1024),
        ("width", 256),
        ("blocks", 4),
        ("heads", 4),
        ("cond-dim", 256),
        ("length", 128),
        ("batch", 16),
        ("steps", 5),
        ("warmup", 1),
        ("seed", 0),
    ]:
        p.add_argument(f"--{name}", type=int, default=default)
    p.add_argument("--threads", default="1,2", help="comma-separated intra-op thread counts to try")
    a = p.parse_args()

    torch.manual_seed(a.seed)
    model = BenchDit(a)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0)
    g = torch.Generator().manual_seed(a.seed + 1)
    batches = [sample_batch(a, g) for _ in range(a.warmup + a.steps)]
    tokens = a.batch * a.length

    def forward_ms(i):
        _, xt, _, t = batches[i]
        t0 = time.perf_counter()
        with torch.no_grad():
            model(xt, t)
        return (time.perf_counter() - t0) * 1000

    def train_ms(i):
        x0, xt, masked, t = batches[i]
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        logits = model(xt, t)
        nll = F.cross_entropy(logits.reshape(-1, a.vocab + 1), x0.reshape(-1), reduction="none")
        loss = (nll * masked.reshape(-1)).sum() / masked.sum().clamp(min=1)
        loss.backward()
        opt.step()
        value = loss.item()
        return (time.perf_counter() - t0) * 1000, value

    # A first matmul loads the BLAS; OpenBLAS's pthread build keeps its own pool, which torch.set_num_threads
    # does not reach when torch was built against a generic BLAS (Debian), so it is set through its C API too.
    torch.matmul(torch.ones(64, 64), torch.ones(64, 64))
    libs = blas_libraries()
    openblas = [p for p in libs if "libopenblas" in os.path.basename(p)]
    set_blas_threads = ctypes.CDLL(openblas[0]).openblas_set_num_threads if openblas else None

    runs = []
    losses = []
    for threads in [int(x) for x in a.threads.split(",")]:
        torch.set_num_threads(threads)
        if set_blas_threads is not None:
            set_blas_threads(threads)
        fwd = [forward_ms(i) for i in range(a.warmup + a.steps)][a.warmup :]
        trn = []
        for i in range(a.warmup + a.steps):
            ms, value = train_ms(i)
            losses.append(value)
            if i >= a.warmup:
                trn.append(ms)
        runs.append({"threads": threads, "forwardMs": sum(fwd) / len(fwd), "trainMs": sum(trn) / len(trn)})

    def best(key):
        r = min(runs, key=lambda x: x[key])
        return {"tokensPerSec": tokens / (r[key] / 1000), "msPerStep": r[key], "threads": r["threads"]}

    out = {
        "torch": torch.__version__,
        "python": sys.executable,
        "blas": {"kind": blas_kind(libs), "libraries": libs},
        "params": sum(x.numel() for x in model.parameters()),
        "forwardFlops": forward_flops(a),
        "steps": a.steps,
        "runs": runs,
        "forward": best("forwardMs"),
        "train": best("trainMs"),
        "firstLoss": losses[0],
        "lastLoss": losses[-1],
        "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
