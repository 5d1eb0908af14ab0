"""RFC 6962 Merkle trees: the test vectors of transparency-dev/merkle, and properties against the RFC's recursion."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.merkle import (
    EMPTY_ROOT,
    MerkleTree,
    ProofError,
    leaf_hash,
    node_hash,
    root_from_inclusion_proof,
    verify_consistency,
    verify_inclusion,
)

# github.com/transparency-dev/merkle, testonly/constants.go and proof/verify_test.go (RFC 6962's test data).
LEAVES = [bytes.fromhex(h) for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657")] + [
    bytes.fromhex("606162636465666768696a6b6c6d6e6f")
]
ROOTS = [
    bytes.fromhex(h)
    for h in (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    )
]  # by tree size, 0 to 8
H = {
    name: bytes.fromhex(h)
    for name, h in {
        "l1": "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "l4": "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "l6": "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "n01": "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "n23": "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "n45": "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "n67": "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "n0123": "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "n4567": "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        "l0": "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    }.items()
}
INCLUSION = [  # (leaf index, tree size, proof)
    (0, 8, ["l1", "n23", "n4567"]),
    (5, 8, ["l4", "n67", "n0123"]),
    (2, 3, ["n01"]),
    (1, 5, ["l0", "n23", "l4"]),
]
CONSISTENCY = [  # (old size, new size, proof)
    (1, 8, ["l1", "n23", "n4567"]),
    (6, 8, ["n45", "n67", "n0123"]),
    (2, 5, ["n23", "l4"]),
    (6, 7, ["n45", "l6", "n0123"]),
]
TREE = MerkleTree([leaf_hash(leaf) for leaf in LEAVES])


def test_the_roots_of_every_prefix() -> None:
    assert TREE.root(0) == EMPTY_ROOT
    assert [TREE.root(n) for n in range(9)] == ROOTS
    assert [MerkleTree(TREE._levels[0][:n]).root() for n in range(9)] == ROOTS


@pytest.mark.parametrize(("index", "size", "names"), INCLUSION)
def test_inclusion_vectors(index: int, size: int, names: list[str]) -> None:
    proof = [H[n] for n in names]
    assert TREE.inclusion_proof(index, size) == proof
    verify_inclusion(index, size, TREE.leaf(index), proof, ROOTS[size])


@pytest.mark.parametrize(("old", "new", "names"), CONSISTENCY)
def test_consistency_vectors(old: int, new: int, names: list[str]) -> None:
    proof = [H[n] for n in names]
    assert TREE.consistency_proof(old, new) == proof
    verify_consistency(old, new, ROOTS[old], ROOTS[new], proof)


@pytest.mark.parametrize(("index", "size", "names"), INCLUSION)
def test_a_corrupted_inclusion_proof_is_refused(index: int, size: int, names: list[str]) -> None:
    proof, root, leaf = [H[n] for n in names], ROOTS[size], TREE.leaf(index)
    some_hash = hashlib.sha256(b"some").digest()
    wrong = [
        (index - 1, size, leaf, proof, root),
        (index + 1, size, leaf, proof, root),
        (index ^ 2, size, leaf, proof, root),
        (index, size * 2, leaf, proof, root),
        (index, size // 2, leaf, proof, root),
        (index, size, leaf_hash(b"WrongLeaf"), proof, root),
        (index, size, leaf, proof, EMPTY_ROOT),
        (index, size, leaf, [*proof, root], root),
        (index, size, leaf, [root, *proof], root),
        (index, size, leaf, proof[:-1], root),
        (index, size, leaf, [proof[0], some_hash, *proof[1:]], root),
        *((index, size, leaf, _flipped(proof, i), root) for i in range(len(proof))),
    ]
    for args in wrong:
        with pytest.raises(ProofError):
            verify_inclusion(*args)


@pytest.mark.parametrize(("old", "new", "names"), CONSISTENCY)
def test_a_corrupted_consistency_proof_is_refused(old: int, new: int, names: list[str]) -> None:
    proof, r1, r2 = [H[n] for n in names], ROOTS[old], ROOTS[new]
    wrong = [
        (old - 1, new, r1, r2, proof),
        (old + 1, new, r1, r2, proof),
        (old ^ 2, new, r1, r2, proof),
        (old, new * 2, r1, r2, proof),
        (old, new // 2, r1, r2, proof),
        (old, new, EMPTY_ROOT, r2, proof),
        (old, new, r1, EMPTY_ROOT, proof),
        (old, new, r2, r1, proof),
        (old, new, r1, r2, []),
        (old, new, r1, r2, [*proof, r1]),
        (old, new, r1, r2, [*proof, r2]),
        (old, new, r1, r2, [r1, *proof]),
        (old, new, r1, r2, [proof[0], *proof]),
        (old, new, r1, r2, proof[:-1]),
        *((old, new, r1, r2, _flipped(proof, i)) for i in range(len(proof))),
    ]
    for args in wrong:
        with pytest.raises(ProofError):
            verify_consistency(*args)


def test_trivial_consistency() -> None:
    verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    verify_consistency(0, 5, EMPTY_ROOT, ROOTS[5], [])
    verify_consistency(3, 3, ROOTS[3], ROOTS[3], [])
    for args in [
        (3, 3, ROOTS[3], ROOTS[4], []),
        (1, 0, ROOTS[1], EMPTY_ROOT, []),
        (3, 3, ROOTS[3], ROOTS[3], [H["l0"]]),
    ]:
        with pytest.raises(ProofError):
            verify_consistency(*args)
    with pytest.raises(ProofError):
        TREE.inclusion_proof(8, 8)
    with pytest.raises(ProofError):
        TREE.root(9)


def _flipped(proof: list[bytes], i: int) -> list[bytes]:
    changed = list(proof)
    changed[i] = bytes([changed[i][0] ^ 8]) + changed[i][1:]
    return changed


# The RFC's recursive definitions, word for word, as the reference for the properties.
def mth(d: list[bytes]) -> bytes:
    if not d:
        return EMPTY_ROOT
    if len(d) == 1:
        return leaf_hash(d[0])
    k = 1 << ((len(d) - 1).bit_length() - 1)
    return node_hash(mth(d[:k]), mth(d[k:]))


def path(m: int, d: list[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = 1 << ((len(d) - 1).bit_length() - 1)
    return path(m, d[:k]) + [mth(d[k:])] if m < k else path(m - k, d[k:]) + [mth(d[:k])]


def subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    if m == len(d):
        return [] if b else [mth(d)]
    k = 1 << ((len(d) - 1).bit_length() - 1)
    return subproof(m, d[:k], b) + [mth(d[k:])] if m <= k else subproof(m - k, d[k:], False) + [mth(d[:k])]


leaves_st = st.lists(st.binary(max_size=8), min_size=1, max_size=70)


@given(leaves_st, st.data())
def test_proofs_match_the_rfc_and_verify(leaves: list[bytes], data: st.DataObject) -> None:
    tree = MerkleTree([leaf_hash(x) for x in leaves])
    size = data.draw(st.integers(1, len(leaves)), label="size")
    index = data.draw(st.integers(0, size - 1), label="index")
    old = data.draw(st.integers(1, size), label="old")
    assert tree.root(size) == mth(leaves[:size])
    proof = tree.inclusion_proof(index, size)
    assert proof == path(index, leaves[:size])
    assert root_from_inclusion_proof(index, size, tree.leaf(index), proof) == tree.root(size)
    consistency = tree.consistency_proof(old, size)
    assert consistency == (subproof(old, leaves[:size], True) if old < size else [])
    verify_consistency(old, size, tree.root(old), tree.root(size), consistency)


@given(leaves_st, st.data())
def test_a_changed_leaf_breaks_inclusion_and_consistency(leaves: list[bytes], data: st.DataObject) -> None:
    size = len(leaves)
    changed_at = data.draw(st.integers(0, size - 1), label="changed leaf")
    old = data.draw(st.integers(changed_at + 1, size), label="old size")
    tree = MerkleTree([leaf_hash(x) for x in leaves])
    forged = list(leaves)
    forged[changed_at] += b"!"
    forged_tree = MerkleTree([leaf_hash(x) for x in forged])
    with pytest.raises(ProofError):  # the forged log cannot prove it extends the genuine checkpoint
        verify_consistency(
            old, size, tree.root(old), forged_tree.root(size), forged_tree.consistency_proof(old, size) or [b"x" * 32]
        )
    with pytest.raises(ProofError):  # nor that the forged leaf is in the genuine tree
        verify_inclusion(
            changed_at, size, forged_tree.leaf(changed_at), forged_tree.inclusion_proof(changed_at), tree.root()
        )
