"""Train SASRec on a `user item` sequence file and export the artifacts the page loads.

  /usr/bin/python3 models/train/sasrec.py --sequences seqs.txt --out models/<id> --id <id> [options]

Seeded and deterministic; checkpoints every epoch to <out>/checkpoints/ and resumes from there;
early stopping on validation NDCG@10. Under `torchrun --nproc_per_node K` it trains with
DistributedDataParallel (gloo, CPU): each process takes every K-th user of a shuffled epoch.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sasrec_data import TrainWindows, leave_one_out, read_sequences, sample_negatives  # noqa: E402
from sasrec_eval import evaluate  # noqa: E402
from sasrec_export import export_all  # noqa: E402
from sasrec_model import SASRec  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sequences", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--id", required=True)
    p.add_argument("--dataset", default="unknown")
    p.add_argument("--loss", choices=["bce", "ce"], default="bce", help="bce: paper (1 sampled negative); ce: full softmax")
    p.add_argument("--positions", choices=["from_start", "right_aligned"], default="from_start")
    p.add_argument("--windows", choices=["last", "random"], default="last")
    p.add_argument("--max-len", type=int, default=200)
    p.add_argument("--hidden", type=int, default=50)
    p.add_argument("--blocks", type=int, default=2)
    p.add_argument("--heads", type=int, default=1)
    p.add_argument("--dropout", type=float, default=0.2)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--cosine-from", type=int, default=-1,
                   help="from this epoch on, anneal lr to 1%% of --lr by --epochs on a cosine (-1: constant lr)")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--epochs", type=int, default=200)
    p.add_argument("--eval-every", type=int, default=5)
    p.add_argument("--patience", type=int, default=4, help="evaluations without improvement before stopping")
    p.add_argument("--select", choices=["full", "sampled"], default="full", help="protocol for early stopping")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (smoke tests)")
    p.add_argument("--no-onnx", action="store_true")
    p.add_argument("--log-json", default="", help="also write the per-step loss curve here")
    return p.parse_args(argv)


def loss_fn(model, net, inputs, targets, negatives, kind):
    """inputs/targets/negatives [B, L] → mean loss over non-padding target positions.
    `net` is the model itself or its DDP wrapper (whose forward all-reduces gradients)."""
    h = net(inputs)  # [B, L, d]
    valid = targets > 0
    if kind == "ce":
        logits = model.all_scores(h[valid])  # [n, N+1]
        logits[:, 0] = -1e9
        return F.cross_entropy(logits, targets[valid])
    pos = (h * model.item_emb(targets)).sum(-1)[valid]  # [n]
    neg = (h * model.item_emb(negatives)).sum(-1)[valid]  # [n]
    return F.binary_cross_entropy_with_logits(pos, torch.ones_like(pos)) + F.binary_cross_entropy_with_logits(
        neg, torch.zeros_like(neg))


def epoch_lr(args, epoch):
    """Learning rate for the 0-based `epoch`: constant, or a cosine tail from --cosine-from to --epochs.
    A pure function of the epoch, so a resumed run follows the same schedule."""
    start = args.cosine_from
    if start < 0 or epoch < start or args.epochs <= start:
        return args.lr
    progress = (epoch - start) / (args.epochs - start)  # in [0, 1)
    return args.lr * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * progress)))


def main(argv=None):
    args = parse_args(argv)
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    if world > 1:
        dist.init_process_group("gloo")
    torch.set_num_threads(max(1, args.threads // world))
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed + rank)
    gen = torch.Generator().manual_seed(args.seed + rank)

    seqs, item_count = read_sequences(args.sequences)
    train, valid, test = leave_one_out(seqs)
    windows = TrainWindows(train, args.max_len, args.positions, args.windows)
    model = SASRec(item_count, args.hidden, args.blocks, args.heads, args.max_len, args.dropout, args.positions)
    net = torch.nn.parallel.DistributedDataParallel(model) if world > 1 else model
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.98))

    ckpt_dir = os.path.join(args.out, "checkpoints")
    os.makedirs(ckpt_dir, exist_ok=True)
    state = {"epoch": 0, "step": 0, "best": -1.0, "best_epoch": 0, "bad_evals": 0, "history": [], "curve": []}
    last_path, best_path = os.path.join(ckpt_dir, "last.pt"), os.path.join(ckpt_dir, "best.pt")
    if os.path.exists(last_path):
        ck = torch.load(last_path)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        state = ck["state"]
        rng = np.random.default_rng(args.seed + rank + 1000 * state["epoch"])
        gen.manual_seed(args.seed + rank + 1000 * state["epoch"])
        print(f"resumed at epoch {state['epoch']} (best NDCG@10 {state['best']:.4f} @ {state['best_epoch']})", flush=True)

    started = time.time()
    while state["epoch"] < args.epochs and state["bad_evals"] < args.patience:
        model.train()
        for group in opt.param_groups:
            group["lr"] = epoch_lr(args, state["epoch"])
        order = np.random.default_rng(args.seed + state["epoch"]).permutation(len(windows))
        order = order[: len(order) - len(order) % world][rank::world]  # equal shards: DDP needs equal step counts
        total, batches = 0.0, 0
        for b in range(0, len(order), args.batch):
            idx = order[b: b + args.batch]
            inputs, targets = windows.batch(idx, rng)
            negs = sample_negatives([windows.seqs[u] for u in idx], targets, item_count, gen) if args.loss == "bce" else None
            loss = loss_fn(model, net, inputs, targets, negs, args.loss)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total, batches, state["step"] = total + loss.item(), batches + 1, state["step"] + 1
            state["curve"].append(round(loss.item(), 5))
            if args.max_steps and state["step"] >= args.max_steps:
                break
        state["epoch"] += 1
        line = {"epoch": state["epoch"], "loss": total / max(batches, 1), "seconds": round(time.time() - started, 1),
                "lr": opt.param_groups[0]["lr"]}
        if rank == 0 and (state["epoch"] % args.eval_every == 0 or state["epoch"] == args.epochs):
            m = evaluate(model, valid, item_count, protocols=(args.select,), seed=args.seed)[args.select]
            line["valid"] = m
            if m["NDCG@10"] > state["best"]:
                state.update(best=m["NDCG@10"], best_epoch=state["epoch"], bad_evals=0)
                torch.save(model.state_dict(), best_path)
            else:
                state["bad_evals"] += 1
        state["history"].append(line)
        if rank == 0:
            print(json.dumps(line), flush=True)
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "state": state}, last_path + ".tmp")
            os.replace(last_path + ".tmp", last_path)
        if args.max_steps and state["step"] >= args.max_steps:
            break
        if world > 1:
            flag = torch.tensor([state["bad_evals"]], dtype=torch.int64)
            dist.broadcast(flag, 0)
            state["bad_evals"] = int(flag.item())

    if args.log_json and rank == 0:
        with open(args.log_json, "w") as f:
            json.dump({"rank": rank, "world": world, "curve": state["curve"]}, f)
    if rank == 0:
        finish(args, model, state, valid, test, item_count, best_path, train)
    if world > 1:
        dist.destroy_process_group()


def finish(args, model, state, valid, test, item_count, best_path, train):
    """Reload the best checkpoint, evaluate valid and test in both protocols, export artifacts."""
    if os.path.exists(best_path):
        model.load_state_dict(torch.load(best_path))
    metrics = {"valid": evaluate(model, valid, item_count, seed=args.seed),
               "test": evaluate(model, test, item_count, seed=args.seed),
               "bestEpoch": state["best_epoch"], "epochs": state["epoch"]}
    print(json.dumps({"final": metrics}), flush=True)
    run = {k: v for k, v in vars(args).items() if k not in ("out", "sequences", "log_json")}
    golden_histories = [c[1] for c in test[:4]] + [[c[1][-1]] for c in test[4:5]] + [c[1][:3] for c in test[5:6]]
    export_all(model, args.out, args.id, args.dataset, run, metrics, golden_histories, with_onnx=not args.no_onnx)
    with open(os.path.join(args.out, "train-log.json"), "w") as f:
        json.dump({"history": state["history"], "final": metrics}, f, indent=1)


if __name__ == "__main__":
    main()
