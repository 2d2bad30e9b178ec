"""Artifacts the page loads: weights.safetensors, model.onnx, goldens.json, manifest.json, items.json."""
import hashlib
import json
import os
import struct

import numpy as np
import torch

from sasrec_data import window
from sasrec_model import LastScores

FORMAT_VERSION = 1


def write_safetensors(path, tensors):
    """tensors: ordered {name: float32 tensor} → safetensors file; returns [(name, shape, absolute offset, nbytes)]."""
    header, layout, offset = {}, [], 0
    blobs = []
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        layout.append((name, list(t.shape), offset, len(data)))
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * ((8 - len(head) % 8) % 8)  # align the data section to 8 bytes
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)
    base = 8 + len(head)
    return [(n, s, base + o, nb) for n, s, o, nb in layout]


def export_onnx(model, path):
    """One unpadded history [1, L] (int64) → scores [1, N+1] for the next item."""
    model.eval()
    dummy = torch.arange(1, 6, dtype=torch.int64)[None] % model.item_count + 1
    torch.onnx.export(
        LastScores(model), (dummy,), path, input_names=["history"], output_names=["scores"],
        dynamic_axes={"history": {1: "length"}}, opset_version=14, do_constant_folding=True,
    )


def goldens(model, histories, k=10):
    """Fixed histories → top-k ids and scores (history items excluded) and the last hidden state."""
    model.eval()
    cases = []
    with torch.no_grad():
        for hist in histories:
            row = torch.as_tensor(window(hist, model.max_len, model.positions))[None]
            h = model.last_hidden(row)  # [1, d]
            s = model.all_scores(h)[0].clone()  # [N+1]
            s[0] = -float("inf")
            s[torch.as_tensor(hist)] = -float("inf")
            top = torch.topk(s, k)
            cases.append({"history": [int(i) for i in hist], "ids": top.indices.tolist(),
                          "scores": [float(v) for v in top.values], "lastHidden": h[0].tolist()})
    return {"k": k, "excludeHistory": True, "cases": cases}


def _read_json(path):
    """The data options the TS CLI recorded (source, filters), or None."""
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def export_all(model, out_dir, model_id, dataset, run, metrics, golden_histories, with_onnx=True):
    """Write every artifact of a trained model into out_dir and return the manifest dict."""
    os.makedirs(out_dir, exist_ok=True)
    state = {k: v for k, v in model.state_dict().items()}
    layout = write_safetensors(os.path.join(out_dir, "weights.safetensors"), state)
    files = ["weights.safetensors"]
    if with_onnx:
        export_onnx(model, os.path.join(out_dir, "model.onnx"))
        files.append("model.onnx")
    with open(os.path.join(out_dir, "goldens.json"), "w") as f:
        json.dump(goldens(model, golden_histories), f)
    files.append("goldens.json")
    if os.path.exists(os.path.join(out_dir, "items.json")):  # dense id → original key, written by the TS CLI
        files.append("items.json")
    largest = max(nb for *_, nb in layout)
    manifest = {
        "formatVersion": FORMAT_VERSION,
        "id": model_id,
        "arch": "sasrec",
        "config": {
            "itemCount": model.item_count, "hiddenUnits": model.hidden, "blocks": len(model.attention_layers),
            "heads": model.attention_layers[0].heads, "maxLen": model.max_len, "layerNormEps": 1e-8,
            "positions": model.positions,
        },
        "tensors": [{"name": n, "shape": s, "dtype": "f32", "file": "weights.safetensors", "offset": o, "nbytes": nb}
                    for n, s, o, nb in layout],
        "files": {name: {"sha256": sha256(os.path.join(out_dir, name)),
                         "bytes": os.path.getsize(os.path.join(out_dir, name))} for name in files},
        "requiredFeatures": [],
        "minStorageBufferBindingSize": largest,
        "onnx": {"file": "model.onnx", "input": "history", "inputDtype": "int64", "inputShape": [1, "length"],
                 "output": "scores", "outputShape": [1, model.item_count + 1]} if with_onnx else None,
        "provenance": {"dataset": dataset, "run": run, "metrics": metrics, "createdBy": "models/train/sasrec.py",
                       "data": _read_json(os.path.join(out_dir, "data.json"))},
    }
    if manifest["onnx"] is None:
        del manifest["onnx"]
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return manifest
