"""Rec-tune stories260K as a second next-item model (LoRA + item-token projection), for re-ranking SASRec.

Why not rec_tune.py's listwise task: its training prefixes come from the split SASRec was trained on, so
SASRec's candidates put the target near the top and the LLM can only learn to copy SASRec (its rec loss
stayed near ln 50 in 12 minutes: one signal per 120-token prompt). Here the LLM reads only the history
(prompt "history": BOS + "history:" + last <= 50 item tokens) and is trained like SASRec: at EVERY item
position, full softmax over all item tokens for the next item (≈ 50 signals per window), on random windows
of the TRAINING split. It never sees SASRec's scores, so it is a second, different sequence model; the
pipeline fuses z(SASRec) + w · log-softmax(LLM logits over SASRec's top-C), w and the checkpoint chosen on
the VALIDATION split. Keep-language samples (next-token loss on text the frozen base wrote) as in rec_tune.

usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 models/train/rec_seq.py --sasrec models/<sasrec id>
  --base <stories260K.bin> --tokenizer <tok512.bin> --out <run dir> [options]
"""
import argparse
import copy
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

from llama_ref import load
from rec_data import HISTORY, PROMPTS, load_sasrec, pad
from rec_llama import RecLlama, add_lora_args, encode, read_tokenizer
from rec_tune import build_examples, export, sample_text, select_weight
from sasrec_data import leave_one_out, read_sequences

PROMPT = "history"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ("--sasrec", "--base", "--tokenizer", "--out"):
        p.add_argument(name, required=True)
    p.add_argument("--id", default="")
    p.add_argument("--sequences", default="", help="`user item` file the SASRec model was trained on "
                   "(default: <sasrec>/checkpoints/sequences.txt, written by npm run train:sasrec)")
    p.add_argument("--candidates", type=int, default=50)
    add_lora_args(p, batch=32)
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--eval-every", type=int, default=200, help="steps between validation checks (best kept)")
    p.add_argument("--select", choices=["ndcg", "loss", "last"], default="ndcg",
                   help="checkpoint kept: best validation fused NDCG@10, lowest validation next-item loss over all "
                   "items, or the last step (with --cosine: the end of the schedule, no selection on validation)")
    p.add_argument("--dropout", type=float, default=0.0, help="input-embedding dropout while training")
    p.add_argument("--cosine", action="store_true", help="cosine learning-rate decay to 0 over --steps")
    p.add_argument("--lm-weight", type=float, default=0.1, help="weight of the keep-language loss")
    p.add_argument("--max-minutes", type=float, default=15)
    p.add_argument("--limit-valid", type=int, default=0, help="validation users used (0: all)")
    p.add_argument("--seed", type=int, default=42)
    return p.parse_args(argv)


def window_batch(train_seqs, rng, batch, frame, base_vocab):
    """Random windows of the training split → (tokens [B, T], targets [B, T] item ids, 0 = no loss).

    Each row: BOS + frame + up to HISTORY input items; the target at an input item's position is the item
    that followed it (the window ends at a random cut, so every position of a history is trained)."""
    users = rng.choice(len(train_seqs), size=batch)
    rows, goals = [], []
    for u in users:
        s = train_seqs[u]
        end = int(rng.integers(1, len(s)))  # last target index
        items = s[max(0, end - HISTORY):end + 1]
        lead = [1] + frame
        rows.append(lead + [base_vocab + i - 1 for i in items[:-1]])
        goals.append([0] * len(lead) + list(items[1:]))
    width = max(len(r) for r in rows)
    tokens = torch.zeros(batch, width, dtype=torch.long)
    targets = torch.zeros(batch, width, dtype=torch.long)
    for i, (r, g) in enumerate(zip(rows, goals)):
        tokens[i, :len(r)] = torch.tensor(r)
        targets[i, :len(g)] = torch.tensor(g)
    return tokens, targets


def next_item_loss(model, tokens, targets, dropout=0.0):
    """Mean cross-entropy over all item tokens at the positions with a target; tokens/targets [B, T].
    `dropout` drops input-embedding features (training only; the classifier rows stay whole)."""
    items = model.item_rows()  # [N, dim]
    table = F.dropout(torch.cat([model.base["emb"], items], 0), dropout, model.training)  # [vocab + N, dim]
    hs = model.hidden(tokens, table)  # [B, T, dim]
    keep = targets > 0  # [B, T]
    logits = hs[keep] @ items.T  # [K, N]
    return F.cross_entropy(logits, targets[keep] - 1)


@torch.no_grad()
def valid_loss(model, pairs, frame, batch=64):
    """Mean next-item cross-entropy over all item tokens at the prompt's last position; pairs: (history, target)."""
    model.eval()
    total = 0.0
    for i in range(0, len(pairs), batch):
        part = pairs[i:i + batch]
        rows = [PROMPTS[PROMPT]({"history:": frame}, h, [], model.base_vocab) for h, _ in part]
        tokens, lengths = pad(rows)
        hs = model.hidden(tokens)  # [B, T, dim]
        logits = hs[torch.arange(len(part)), lengths - 1] @ model.item_rows().T  # [B, N]
        total += F.cross_entropy(logits, torch.tensor([t - 1 for _, t in part]), reduction="sum").item()
    return total / len(pairs)


def validate(model, valid, pairs, args):
    """(selection score, higher = better: best fused NDCG@10 over the w grid, or −validation loss with
    --select loss), best w, table, validation loss) on the validation cases."""
    w, table, _ = select_weight(model, valid, args.frames, 64, PROMPTS[PROMPT])
    loss = valid_loss(model, pairs, args.frames["history:"])
    return (-loss if args.select == "loss" else table[str(w)]["ndcg10"]), w, table, loss


def train(model, train_seqs, valid, pairs, text, args, log):
    """Adam steps on random windows; every eval-every steps the validation check keeps the best state."""
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=args.lr)
    decay = (lambda s: 0.5 * (1 + np.cos(np.pi * min(s / args.steps, 1.0)))) if args.cosine else (lambda s: 1.0)
    schedule = torch.optim.lr_scheduler.LambdaLR(opt, decay)
    rng = np.random.default_rng(args.seed)
    usable = [s for s in train_seqs if len(s) >= 2]
    best = (validate(model, valid, pairs, args)[0], 0, copy.deepcopy(model.state_dict()))
    print(f"step 0: valid selection score ({args.select}) {best[0]:.4f}", flush=True)
    started = time.time()
    for step in range(1, args.steps + 1):
        model.train()
        tokens, targets = window_batch(usable, rng, args.batch, args.frames["history:"], model.base_vocab)
        rec = next_item_loss(model, tokens, targets, args.dropout)
        lm = model.lm_loss(text[torch.from_numpy(rng.choice(len(text), size=8, replace=False))])
        loss = rec + args.lm_weight * lm
        opt.zero_grad()
        loss.backward()
        opt.step()
        schedule.step()
        out_of_time = time.time() - started > args.max_minutes * 60
        if step % args.eval_every == 0 or step == args.steps or out_of_time:
            score, w, table, loss = validate(model, valid, pairs, args)
            log.append({"step": step, "rec": round(rec.item(), 4), "lm": round(lm.item(), 4),
                        "validLoss": round(loss, 4), "validNdcg10": table[str(w)]["ndcg10"],
                        "w": w, "ndcg10AtMaxW": table[str(max(map(float, table)))]["ndcg10"],
                        "seconds": round(time.time() - started, 1)})
            print(log[-1], flush=True)
            if score > best[0] or args.select == "last":
                best = (score, step, copy.deepcopy(model.state_dict()))
        if out_of_time:
            break
    model.load_state_dict(best[2])
    return best[1]


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    sasrec, sas_manifest = load_sasrec(args.sasrec)
    sequences = args.sequences or os.path.join(args.sasrec, "checkpoints", "sequences.txt")
    if not os.path.exists(sequences):
        sys.exit(f"SequencesNotFound: {sequences} does not exist (checkpoints/ is not committed). "
                 "Pass --sequences <user item file>, or retrain with npm run train:sasrec to write it.")
    seqs, item_count = read_sequences(sequences)
    assert item_count <= sasrec.item_count, "sequences do not belong to this SASRec model"
    train_seqs, valid_cases, _ = leave_one_out(seqs)  # the test cases are never read here
    if args.limit_valid:
        valid_cases = valid_cases[:args.limit_valid]
    cfg, w = load(args.base)
    _, pieces = read_tokenizer(args.tokenizer)
    args.frames = {"history:": encode(pieces, "history:")}
    model = RecLlama(cfg, w, sasrec.item_emb.weight.detach(), r=args.r, alpha=args.alpha)
    text = sample_text(model, 48, 48, torch.Generator().manual_seed(args.seed))  # [48, 48] keep-language rows
    pairs = [(h, t) for _, h, t in valid_cases]
    valid = build_examples(sasrec, pairs, args.candidates)
    print(f"{len(train_seqs)} training sequences, {len(valid)} validation cases", flush=True)
    base_w, base_table, _ = select_weight(model, valid, args.frames, 64, PROMPTS[PROMPT])
    log = []
    best_step = train(model, train_seqs, valid, pairs, text, args, log)
    best_w, table, recall = select_weight(model, valid, args.frames, 64, PROMPTS[PROMPT])
    print(f"best step {best_step}; valid recall@{args.candidates} {recall:.4f}; w = {best_w}: "
          f"{table[str(best_w)]}; sasrec: {table['0.0']}", flush=True)
    export(model, args, sas_manifest, {
        "prompt": PROMPT, "fusionWeight": best_w,
        "validation": {"recallAtCandidates": recall, "byWeight": table, "untunedBestWeight": base_w,
                       "untuned": base_table[str(base_w)], "bestStep": best_step},
        "steps": log[-1]["step"] if log else 0, "log": log})


if __name__ == "__main__":
    main()
