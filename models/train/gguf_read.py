"""Minimal GGUF v2/v3 reader for llama_ref.py (F32 tensors only), written from the GGUF spec
(ggml docs/gguf.md), not from our TypeScript reader: header, metadata key/values, tensor infos
(ne[0] is the innermost dimension), data aligned to general.alignment (default 32).

load_gguf(path) -> (cfg, w) in llama_ref.py's layout plus the family features it needs:
cfg theta / eps / neox (qwen2: rotate-half rope) / rope_factors (rope_freqs.weight), w bq/bk/bv.
"""
import struct

import torch

_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY, _F32 = 8, 9, 0


class GgufReadError(Exception):
    """The file is not a GGUF this reader handles (wrong magic, non-F32 tensor, unknown arch)."""


class _Cursor:
    def __init__(self, raw):
        self.raw, self.at = raw, 0

    def take(self, fmt):
        (value,) = struct.unpack_from(fmt, self.raw, self.at)
        self.at += struct.calcsize(fmt)
        return value

    def string(self):
        n = self.take("<Q")
        self.at += n
        return self.raw[self.at - n:self.at].decode("utf-8")

    def value(self, kind):
        if kind == _STRING:
            return self.string()
        if kind == _ARRAY:
            item, n = self.take("<I"), self.take("<Q")
            return [self.value(item) for _ in range(n)]
        return self.take(_SCALARS[kind])


def read_gguf(path):
    """-> (metadata dict, {name: float32 torch tensor in row-major shape})."""
    raw = open(path, "rb").read()
    c = _Cursor(raw)
    if raw[:4] != b"GGUF":
        raise GgufReadError("%s: magic %r, expected b'GGUF'" % (path, raw[:4]))
    c.at = 4
    version, n_tensors, n_meta = c.take("<I"), c.take("<Q"), c.take("<Q")
    if version not in (2, 3):
        raise GgufReadError("%s: GGUF version %d, expected 2 or 3" % (path, version))
    meta = {}
    for _ in range(n_meta):
        key = c.string()
        meta[key] = c.value(c.take("<I"))
    infos = []
    for _ in range(n_tensors):
        name = c.string()
        ne = [c.take("<Q") for _ in range(c.take("<I"))]
        kind, offset = c.take("<I"), c.take("<Q")
        if kind != _F32:
            raise GgufReadError("%s: tensor %s has ggml type %d; this reader takes F32 only" % (path, name, kind))
        infos.append((name, ne, offset))
    align = meta.get("general.alignment", 32)
    base = (c.at + align - 1) // align * align
    tensors = {}
    for name, ne, offset in infos:
        count = 1
        for d in ne:
            count *= d
        start = base + offset
        flat = torch.frombuffer(bytearray(raw[start:start + 4 * count]), dtype=torch.float32)
        tensors[name] = flat.reshape(list(reversed(ne)))
    return meta, tensors


def load_gguf(path):
    """A GGUF "llama" or "qwen2" file -> (cfg, w) for llama_ref.forward."""
    meta, t = read_gguf(path)
    arch = meta["general.architecture"]
    if arch not in ("llama", "qwen2"):
        raise GgufReadError("%s: architecture %r; expected llama or qwen2" % (path, arch))
    heads = meta[arch + ".attention.head_count"]
    kv_heads = meta.get(arch + ".attention.head_count_kv", heads)
    dim = meta[arch + ".embedding_length"]
    layers = meta[arch + ".block_count"]
    per_layer = lambda name: torch.stack([t["blk.%d.%s" % (i, name)] for i in range(layers)])
    w = {"emb": t["token_embd.weight"], "att_norm": per_layer("attn_norm.weight"),
         "wq": per_layer("attn_q.weight"), "wk": per_layer("attn_k.weight"), "wv": per_layer("attn_v.weight"),
         "wo": per_layer("attn_output.weight"), "ffn_norm": per_layer("ffn_norm.weight"),
         "w1": per_layer("ffn_gate.weight"), "w2": per_layer("ffn_down.weight"), "w3": per_layer("ffn_up.weight"),
         "norm": t["output_norm.weight"]}
    w["cls"] = t.get("output.weight", w["emb"])  # tied when the file has no output head
    if "blk.0.attn_q.bias" in t:
        w.update(bq=per_layer("attn_q.bias"), bk=per_layer("attn_k.bias"), bv=per_layer("attn_v.bias"))
    cfg = dict(dim=dim, layers=layers, heads=heads, kv_heads=kv_heads, head=dim // heads,
               theta=float(meta.get(arch + ".rope.freq_base", 10000.0)),
               eps=float(meta.get(arch + ".attention.layer_norm_rms_epsilon", 1e-5)),
               neox=arch == "qwen2", rope_factors=t.get("rope_freqs.weight"))
    return cfg, w
