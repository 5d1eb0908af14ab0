"""RFC 6962 / RFC 9162 Merkle trees: tree hash, inclusion and consistency proofs, and their verification.

Pure (hashlib only). A leaf's hash is ``SHA-256(0x00 || leaf)``, an interior node's
``SHA-256(0x01 || left || right)``; the tree over ``n`` leaves splits at the largest power of
two below ``n`` (RFC 6962 section 2.1). :class:`MerkleTree` keeps every complete subtree of a
list of leaf hashes, so the root of any prefix and any proof cost O(log² n) hashes once it is
built (n hashes). The verifiers are RFC 9162's algorithms (sections 2.1.3.2 and 2.1.4.2).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
"""The hash of the empty tree."""


class ProofError(ValueError):
    """A proof does not prove what it is offered for; the message says why."""


def leaf_hash(leaf: bytes) -> bytes:
    """The hash of one leaf: ``SHA-256(0x00 || leaf)``."""
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an interior node: ``SHA-256(0x01 || left || right)``."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(size: int) -> int:
    """The largest power of two strictly below ``size`` (``size`` ≥ 2)."""
    return 1 << ((size - 1).bit_length() - 1)


class MerkleTree:
    """The tree over ``leaf_hashes`` (already hashed with :func:`leaf_hash`), with every complete subtree kept."""

    def __init__(self, leaf_hashes: Sequence[bytes]) -> None:
        levels: list[Sequence[bytes]] = [leaf_hashes]
        below = leaf_hashes
        sha256 = hashlib.sha256
        while len(below) > 1:
            # The hot loop of building: pairs of the level below, a trailing odd node waits for its sibling.
            pairs = zip(below[0::2], below[1::2], strict=False)
            level = [sha256(b"\x01" + left + right).digest() for left, right in pairs]
            levels.append(level)
            below = level
        self._levels = levels
        self._partial: dict[tuple[int, int], bytes] = {}  # incomplete subtrees on the right edge, once computed

    @property
    def size(self) -> int:
        """The number of leaves."""
        return len(self._levels[0])

    def leaf(self, index: int) -> bytes:
        """The hash of leaf ``index``."""
        return self._levels[0][index]

    def root(self, size: int | None = None) -> bytes:
        """The root of the tree over the first ``size`` leaves (default: all)."""
        size = self.size if size is None else size
        self._check_size(size)
        return EMPTY_ROOT if size == 0 else self._hash(0, size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """The audit path of leaf ``index`` in the tree over the first ``size`` leaves (RFC 6962 PATH)."""
        size = self.size if size is None else size
        self._check_size(size)
        if not 0 <= index < size:
            raise ProofError(f"leaf index {index} is not in a tree of {size} leaves")
        proof: list[bytes] = []
        start, end = 0, size
        while end - start > 1:
            k = _split(end - start)
            if index < start + k:
                proof.append(self._hash(start + k, end))
                end = start + k
            else:
                proof.append(self._hash(start, start + k))
                start += k
        proof.reverse()  # PATH lists the sibling nearest the leaf first
        return proof

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """The proof that the tree of ``new_size`` leaves extends the one of ``old_size`` (RFC 6962 PROOF)."""
        new_size = self.size if new_size is None else new_size
        self._check_size(new_size)
        if not 0 <= old_size <= new_size:
            raise ProofError(f"no consistency proof from {old_size} to {new_size} leaves")
        if old_size in (0, new_size):
            return []
        proof: list[bytes] = []
        start, end, m, complete = 0, new_size, old_size, True
        while m != end - start:
            k = _split(end - start)
            if m <= k:
                proof.append(self._hash(start + k, end))
                end = start + k
            else:
                proof.append(self._hash(start, start + k))
                start, m, complete = start + k, m - k, False
        if not complete:
            proof.append(self._hash(start, end))
        proof.reverse()  # SUBPROOF lists the deepest node first
        return proof

    def _hash(self, start: int, end: int) -> bytes:
        """The root over leaves ``start`` to ``end`` (exclusive); ``start`` is aligned as RFC 6962 splits."""
        width = end - start
        if width & (width - 1) == 0:  # a complete subtree: kept
            height = width.bit_length() - 1
            return self._levels[height][start >> height]
        found = self._partial.get((start, end))
        if found is None:
            k = _split(width)
            found = self._partial[start, end] = node_hash(self._hash(start, start + k), self._hash(start + k, end))
        return found

    def _check_size(self, size: int) -> None:
        if not 0 <= size <= self.size:
            raise ProofError(f"the tree has {self.size} leaves, not {size}")


def root_of(leaf_hashes: Sequence[bytes]) -> bytes:
    """The root of the tree over ``leaf_hashes``."""
    return MerkleTree(leaf_hashes).root()


def root_from_inclusion_proof(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """The root that ``proof`` leads to from leaf hash ``leaf`` at ``index`` (RFC 9162 2.1.3.2); ProofError when
    the proof cannot belong to such a leaf at all."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not in a tree of {size} leaves")
    _check_hashes([leaf, *proof])
    fn, sn, r = index, size - 1, leaf
    sha256 = hashlib.sha256  # node_hash, inlined: this loop runs for every event of an export
    for p in proof:
        if sn == 0:
            raise ProofError("the inclusion proof is longer than the tree is high")
        if fn & 1 or fn == sn:
            r = sha256(b"\x01" + p + r).digest()
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = sha256(b"\x01" + r + p).digest()
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the inclusion proof is shorter than the tree is high")
    return r


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> None:
    """Check that ``leaf`` (a leaf hash) is leaf ``index`` of the tree of ``size`` leaves with ``root``."""
    if root_from_inclusion_proof(index, size, leaf, proof) != root:
        raise ProofError(f"leaf {index} is not in the tree of {size} leaves with this root")


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> None:
    """Check that the tree of ``new_size`` leaves with ``new_root`` extends the one of ``old_size`` with
    ``old_root`` (RFC 9162 2.1.4.2); ProofError if not."""
    _check_hashes([old_root, new_root, *proof])
    if not 0 <= old_size <= new_size:
        raise ProofError(f"a tree of {new_size} leaves cannot extend one of {old_size}")
    if old_size == new_size:
        if proof or old_root != new_root:
            raise ProofError(f"two different trees of {old_size} leaves")
        return
    if old_size == 0:
        if proof:
            raise ProofError("a proof from the empty tree must be empty")
        return
    if not proof:
        raise ProofError("the consistency proof is empty")
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # the old tree is a complete subtree of the new one
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("the consistency proof is longer than needed")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the consistency proof is shorter than needed")
    if fr != old_root:
        raise ProofError(f"the first {old_size} leaves of the new tree are not the old tree: they changed")
    if sr != new_root:
        raise ProofError(f"the consistency proof does not lead to the root of the tree of {new_size} leaves")


def _check_hashes(hashes: Sequence[bytes]) -> None:
    if any(len(h) != HASH_SIZE for h in hashes):
        raise ProofError(f"every hash of a proof is {HASH_SIZE} bytes")
