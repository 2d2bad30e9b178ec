"""Write a tiny random SASRec with PyTorch goldens, the parity fixture for the TypeScript engine.

  /usr/bin/python3 models/train/make_fixture.py --out test/fixtures/sasrec-tiny [--positions from_start]

Every parameter (including LayerNorm gains and biases) is drawn at random, so a wrong index, a
missing bias or a swapped projection in the engine changes the goldens.
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sasrec_export import export_all  # noqa: E402
from sasrec_model import SASRec  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--positions", default="from_start", choices=["from_start", "right_aligned"])
    p.add_argument("--items", type=int, default=37)
    p.add_argument("--hidden", type=int, default=6)
    p.add_argument("--heads", type=int, default=1)
    p.add_argument("--max-len", type=int, default=8)
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args()
    torch.manual_seed(a.seed)
    model = SASRec(a.items, a.hidden, 2, a.heads, a.max_len, 0.0, a.positions)
    with torch.no_grad():
        for _, t in model.named_parameters():
            t.copy_(torch.randn_like(t) * 0.5)
    model.eval()
    g = torch.Generator().manual_seed(a.seed)
    lengths = [1, 2, 3, 5, a.max_len - 1, a.max_len, a.max_len + 3]
    histories = [torch.randperm(a.items, generator=g)[:n].add(1).tolist() for n in lengths]
    export_all(model, a.out, os.path.basename(a.out), "random", {"seed": a.seed}, {}, histories)


if __name__ == "__main__":
    main()
