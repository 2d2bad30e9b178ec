"""Gradient goldens for the in-page SASRec trainer (src/train/): a tiny SASRec from sasrec_model.py with
seeded weights and a fixed padded batch; prints JSON with the config, the batch, every parameter,
the mean full-softmax cross-entropy over the non-padding targets (as sasrec.py's `ce` loss) and every
parameter's gradient. Run: /usr/bin/python3 models/train/sasrec_grad_goldens.py > goldens.json
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sasrec_model import SASRec  # noqa: E402

ITEMS, HIDDEN, BLOCKS, HEADS, MAX_LEN = 13, 8, 2, 2, 6

# left-aligned, 0-padded on the right (positions from the start), as sasrec.py feeds them
INPUTS = [[3, 7, 1, 12, 5, 9], [4, 4, 11, 0, 0, 0], [13, 2, 0, 0, 0, 0]]  # [B, L]
TARGETS = [[7, 1, 12, 5, 9, 2], [4, 11, 6, 0, 0, 0], [2, 8, 0, 0, 0, 0]]  # [B, L]


def main():
    torch.manual_seed(7)
    torch.set_default_dtype(torch.float64)  # the goldens are exact to ~1e-12; our f32 code is judged at 1e-4
    model = SASRec(ITEMS, HIDDEN, BLOCKS, HEADS, MAX_LEN, dropout=0.0, positions="from_start")
    with torch.no_grad():
        for name, p in model.named_parameters():
            # every parameter away from its init value (LN gains ≠ 1, biases ≠ 0) so each gradient path is exercised
            p.copy_(torch.randn_like(p) * (0.6 if p.dim() > 1 else 0.3) + (1.0 if "layernorm" in name and name.endswith("weight") else 0.0))
        model.item_emb.weight[0].zero_()
        for p in model.parameters():
            p.copy_(p.float().double())  # exactly representable in f32, so both sides start from the same weights
    model.eval()
    inputs, targets = torch.tensor(INPUTS), torch.tensor(TARGETS)
    h = model(inputs)  # [B, L, d]
    valid = targets > 0
    logits = model.all_scores(h[valid])  # [n, N+1]
    logits[:, 0] = -1e9
    loss = F.cross_entropy(logits, targets[valid])
    loss.backward()
    out = {
        "config": {"itemCount": ITEMS, "hiddenUnits": HIDDEN, "blocks": BLOCKS, "heads": HEADS, "maxLen": MAX_LEN,
                   "layerNormEps": 1e-8, "positions": "from_start"},
        "inputs": INPUTS,
        "targets": TARGETS,
        "loss": loss.item(),
        "params": {n: p.detach().flatten().tolist() for n, p in model.named_parameters()},
        "grads": {n: p.grad.flatten().tolist() for n, p in model.named_parameters()},
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
