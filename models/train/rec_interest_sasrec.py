"""The SASRec baseline of TALLRec's interest table, trained on the SAME few samples as the LLM.

SASRec (sasrec_model.py: 2 blocks, d 50, 1 head, dropout 0.2) reads the 10 history items (right-aligned
window); the sample's logit is its last hidden state · the target item's embedding + a bias, trained with
binary cross-entropy on the liked label (full batch, Adam, fixed steps; nothing tuned on test).
"""
import numpy as np
import torch
import torch.nn.functional as F

from rec_interest_data import HISTORY
from sasrec_model import SASRec


def rows_of(samples):
    """samples → (history item rows [n, HISTORY], targets [n], labels [n] float)."""
    hist = torch.tensor(np.array([[i for i, _ in h] for _, h, _, _ in samples]))  # [n, HISTORY]
    target = torch.tensor([t for _, _, t, _ in samples])  # [n]
    label = torch.tensor([float(y) for _, _, _, y in samples])  # [n]
    return hist, target, label


def sasrec_logits(model, bias, hist, target):
    """[n] logit that the user of each history row likes its target."""
    h = model.last_hidden(hist)  # [n, d]
    return (h * model.item_emb(target)).sum(-1) + bias


def sasrec_interest(train, test, item_count, seed, steps=200, lr=1e-3):
    """Train SASRec on `train` samples, return P(liked) [len(test)] as a list."""
    torch.manual_seed(seed)
    model = SASRec(item_count, hidden=50, blocks=2, heads=1, max_len=HISTORY, dropout=0.2,
                   positions="right_aligned")
    bias = torch.zeros(1, requires_grad=True)
    opt = torch.optim.Adam(list(model.parameters()) + [bias], lr=lr)
    hist, target, label = rows_of(train)
    for _ in range(steps):
        model.train()
        loss = F.binary_cross_entropy_with_logits(sasrec_logits(model, bias, hist, target), label)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    hist, target, _ = rows_of(test)
    with torch.no_grad():
        return sasrec_logits(model, bias, hist, target).sigmoid().tolist()
