"""Tuning and scoring of the interest model (rec_interest.py): BCE on logit(yes) - logit(no), Adam over
seeded minibatches, and (when validation rows are given) early stopping: the validation AUC is read every
`eval_every` steps (and before the first step) and the parameters of the best read are restored.
"""
import numpy as np
import torch
import torch.nn.functional as F

from rec_data import pad
from rec_interest_data import auc
from rec_llama import trainable_state


def yes_no_logit(model, rows, answer_ids):
    """token rows → [B] logit(Yes) - logit(No) at each row's last token."""
    tokens, lengths = pad(rows)
    hs = model.hidden(tokens)  # [B, T, dim]
    last = hs[torch.arange(tokens.shape[0]), lengths - 1]  # [B, dim]
    emb = model.base["emb"]  # [base vocab, dim] (tied classifier)
    return last @ (emb[answer_ids[0]] - emb[answer_ids[1]])


@torch.no_grad()
def predict(model, rows, answer_ids, batch=128):
    """[n] P(yes) for token rows."""
    model.eval()
    return torch.cat([yes_no_logit(model, rows[i:i + batch], answer_ids).sigmoid()
                      for i in range(0, len(rows), batch)])


def tune(model, rows, labels, opts, seed, valid=None):
    """LoRA + projection, BCE, up to `opts.steps` Adam steps (batch `opts.batch`, lr `opts.lr`).
    valid = (token rows, labels) or None. Returns {loss: last training loss, bestStep, validAuc}: with
    `valid`, the model is left at the step whose validation AUC was highest (ties → the earlier step)."""
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=opts.lr)
    rng = np.random.default_rng(seed)
    y = torch.tensor(labels, dtype=torch.float32)  # [n]
    best = {"loss": None, "bestStep": opts.steps, "validAuc": None}
    best_state = None

    def check(step):
        nonlocal best_state
        score = auc(predict(model, valid[0], opts.answer_ids).tolist(), valid[1])
        if best["validAuc"] is None or score > best["validAuc"]:
            best.update(bestStep=step, validAuc=score)
            best_state = trainable_state(model)

    if valid is not None:
        check(0)
    for step in range(1, opts.steps + 1):
        model.train()
        pick = rng.choice(len(rows), size=min(opts.batch, len(rows)), replace=False)
        logit = yes_no_logit(model, [rows[i] for i in pick], opts.answer_ids)  # [b]
        loss = F.binary_cross_entropy_with_logits(logit, y[torch.from_numpy(pick)])
        opt.zero_grad()
        loss.backward()
        opt.step()
        best["loss"] = round(float(loss), 4)
        if valid is not None and (step % opts.eval_every == 0 or step == opts.steps):
            check(step)
    if best_state is not None:
        with torch.no_grad():
            for k, v in model.named_parameters():
                if k in best_state:
                    v.copy_(best_state[k])
    return best
