"""Search over provision units: embeddings, FAISS, BM25, fusion, evaluation.

OpenMP threads (faiss, the e5 engine, torch) spin while waiting by default; on a shared 2-core
machine that turned a 15 ms query embedding into ~1.6 s whenever the other core was busy, so the
passive policy is set before any of them is loaded (an explicit setting wins).
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
