"""Tune stories260K (LoRA) on the explanation task: after the verbaliser's prompt, write a sentence
built from the facts (targets from `npm run eval:explain-targets`, training-split users only).

Loss: next-token cross-entropy on the target tokens only (the prompt is context). Selection (LLM2ER's
concept consistency): after each epoch, on the validation users' probes, the probability the model
puts on the item's shared concepts among every concept label of the catalog at a concept span
("… and [<title>] shares [" → "<label>]"); the epoch with the highest mean consistency is kept
(the base model's value is printed too). Writes the PEFT adapter of that epoch (pair RoPE layout,
as llama2.c stores Wq/Wk: merge with --rope-layout meta) and explain.json with the figures.

usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 models/train/explain_tune.py --data <dir of *.jsonl>
  --base <stories260K.bin> --out <dir> [--epochs 4] [--r 8 --alpha 16 --lr 3e-3 --batch 32]
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

from llama_ref import load
from rec_llama import RecLlama, adapter_tensors, add_lora_args, write_adapter_config
from sasrec_export import write_safetensors


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ("--data", "--base", "--out"):
        p.add_argument(name, required=True)
    add_lora_args(p, batch=32)
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--max-minutes", type=float, default=15)
    p.add_argument("--probes", type=int, default=40, help="validation probes scored per epoch (the first N)")
    p.add_argument("--seed", type=int, default=42)
    return p.parse_args(argv)


def read_jsonl(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def batch_of(rows):
    """rows [{prompt, target}] → tokens [B, T] (right-padded with 0) and a loss mask [B, T-1] on target positions."""
    seqs = [r["prompt"] + r["target"] for r in rows]
    T = max(len(s) for s in seqs)
    tokens = torch.zeros(len(rows), T, dtype=torch.long)  # [B, T]
    mask = torch.zeros(len(rows), T - 1)  # [B, T-1]: predicts token t+1 from position t
    for i, (r, s) in enumerate(zip(rows, seqs)):
        tokens[i, :len(s)] = torch.tensor(s)
        mask[i, len(r["prompt"]) - 1:len(s) - 1] = 1
    return tokens, mask


def target_logp(model, rows):
    """Per-row (sum of target-token log-probabilities [B], target-token count [B]) of rows [{prompt, target}];
    targets are text tokens, prompts may hold item tokens (outside the text vocabulary: masked out)."""
    tokens, mask = batch_of(rows)  # [B, T], [B, T-1]
    logp = F.log_softmax(model.hidden(tokens)[:, :-1] @ model.base["emb"].T, -1)  # [B, T-1, vocab]
    nexts = tokens[:, 1:].clamp(max=logp.shape[-1] - 1)  # [B, T-1]: prompt positions are masked out
    picked = logp.gather(-1, nexts[..., None])[..., 0]  # [B, T-1]
    return (picked * mask).sum(-1), mask.sum(-1)


def target_loss(model, rows):
    """Mean cross-entropy [scalar] of the target tokens given their prompts."""
    tokens, mask = batch_of(rows)
    hs = model.hidden(tokens)  # [B, T, dim]
    logits = hs[:, :-1] @ model.base["emb"].T  # [B, T-1, vocab]
    ce = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tokens[:, 1:].reshape(-1), reduction="none")
    return (ce * mask.reshape(-1)).sum() / mask.sum()


@torch.no_grad()
def concept_consistency(model, probes):
    """Mean over probes of P(shared concepts) among all concept labels, each label's log-likelihood
    summed over its tokens after the probe's context (a softmax over the labels)."""
    scores = []
    for probe in probes:
        rows = [{"prompt": probe["context"], "target": option} for option in probe["options"]]
        label_logp, _ = target_logp(model, rows)  # [L]
        p = label_logp.softmax(-1)  # [L]
        scores.append(float(p[torch.tensor(probe["fact"])].sum()))
    return sum(scores) / max(1, len(scores))


@torch.no_grad()
def mean_loss(model, rows, batch):
    losses = [float(target_loss(model, rows[i:i + batch])) for i in range(0, len(rows), batch)]
    return sum(losses) / max(1, len(losses))


def main(argv=None):
    args = parse_args(argv)
    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    train = read_jsonl(os.path.join(args.data, "train.jsonl"))
    valid = read_jsonl(os.path.join(args.data, "valid.jsonl"))
    probes = read_jsonl(os.path.join(args.data, "probes.jsonl"))[:args.probes]
    cfg, w = load(args.base)
    no_items = torch.zeros(2, 1)  # [1 + 1 dummy item, 1]: RecLlama's item rows are never used here
    model = RecLlama(cfg, w, no_items, r=args.r, alpha=args.alpha)
    params = list(model.lora.parameters())
    opt = torch.optim.Adam(params, lr=args.lr)
    started = time.time()
    history = [{"epoch": 0, "valid_loss": mean_loss(model, valid, args.batch),
                "consistency": concept_consistency(model, probes)}]
    print(f"base: valid loss {history[0]['valid_loss']:.4f}, concept consistency {history[0]['consistency']:.4f}",
          flush=True)
    best = None
    gen = torch.Generator().manual_seed(args.seed)
    for epoch in range(1, args.epochs + 1):
        order = torch.randperm(len(train), generator=gen).tolist()
        total = 0.0
        for step, at in enumerate(range(0, len(order), args.batch)):
            loss = target_loss(model, [train[i] for i in order[at:at + args.batch]])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss)
            if (time.time() - started) / 60 > args.max_minutes:
                break
        row = {"epoch": epoch, "train_loss": total / (step + 1), "valid_loss": mean_loss(model, valid, args.batch),
               "consistency": concept_consistency(model, probes), "minutes": (time.time() - started) / 60}
        history.append(row)
        print(json.dumps(row), flush=True)
        if best is None or row["consistency"] > best[0]["consistency"]:
            best = (row, {k: v.clone() for k, v in adapter_tensors(model).items()})
        if (time.time() - started) / 60 > args.max_minutes:
            print(f"stopped at the {args.max_minutes}-minute budget", flush=True)
            break
    os.makedirs(args.out, exist_ok=True)
    write_safetensors(os.path.join(args.out, "adapter.safetensors"), best[1])
    write_adapter_config(os.path.join(args.out, "adapter_config.json"), args.r, args.alpha)
    with open(os.path.join(args.out, "explain.json"), "w") as f:
        json.dump({"selected_epoch": best[0]["epoch"], "selection": "concept consistency on validation probes",
                   "train_targets": len(train), "valid_targets": len(valid), "probes": len(probes),
                   "args": vars(args), "epochs": history}, f, indent=1)
    print(f"kept epoch {best[0]['epoch']} (consistency {best[0]['consistency']:.4f}) → {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
