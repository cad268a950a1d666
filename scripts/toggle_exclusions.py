"""Toggle points of the coverage build that cannot toggle, each rule with its reason.

scripts/coverage.py reports toggle coverage twice: over every point, and without the points these
rules exclude. A rule names signals by module and name and the bits it excludes; the limits come
from the coverage build's parameters (scripts/soak.py COVERAGE_BUILD), so they follow the build.
An excluded point that did toggle means a wrong rule: coverage.py counts them, and fails if there
is one.
"""
import math
import re

PTR_W = 20  # entry pointers (eie_pkg::PtrWidth)
DIM_W = 24  # dimensions and indices (eie_pkg::DimWidth)


def clog2(n):
    return max(1, math.ceil(math.log2(n)))


def lnzd_constants(num_in):
    """{signal: bits} of eie_lnzd's tree that stay 0 for NumIn inputs: a node over no real input
    is never valid, one over fewer than two never sees two, and an index bit is 0 for good if it
    is 0 in the index of every real input below the node (an internal node's index is 0 while it
    is invalid) or, at a leaf, in the leaf's own index. (Constant ones are left in: Verilator
    counts their rise at time 0.)"""
    levels = 1 if num_in <= 1 else (clog2(num_in) + 1) // 2
    leaves = 1 << (2 * levels)
    internal = (leaves - 1) // 3
    idx_w = 2 * levels
    const = {"node_valid": set(), "node_multi": set(), "node_idx": set()}

    def below(n):  # the real inputs under node n
        if n >= internal:
            leaf = n - internal
            return [leaf] if leaf < num_in else []
        return [x for c in range(4) for x in below(4 * n + 1 + c)]

    for n in range(internal + leaves):
        real = below(n)
        if not real:
            const["node_valid"].add(n)
        if len(real) < 2:
            const["node_multi"].add(n)
        own = [n - internal] if n >= internal else real
        for b in range(idx_w):
            if all((x >> b) & 1 == 0 for x in own):
                const["node_idx"].add(n * idx_w + b)
    return const


def rules(build):
    """[(module regex, signal regex, bit predicate, reason)]."""
    pe, act, spmat, ptr = build["pe"], build["act"], build["spmat"], build["ptr"]
    dim_bits = clog2(pe * act + 1)     # a layer dimension or index: at most NumPe x ActDepth
    entry_bits = clog2(spmat * 8 + 1)  # an entry address: 8 entries per 64-bit word
    ptr_bits = clog2(ptr + 1)          # a pointer index: below PtrDepth
    lnzd = lnzd_constants(pe)
    # Unsigned, or signed counters that never go below zero (fd_left_q holds a count from
    # before it was taken; f_start_left a layer's size); the ones that do are left in.
    dims = (r"rows_q|cols_q|nxt_cols|f_base_q|fd_base_q|g_base_q|g_ptr_q|fd_ptr_q|lnzd_col|"
            r"out_index_[qo]|remaining(_[io])?|bcast_col(_[qo])?|f_start_left|fd_left_q")
    return [
        ("eie_ccu|eie_top|eie_pe", dims, lambda b: b >= dim_bits,
         f"a layer dimension, index or count: at most NumPe x ActDepth = {pe * act} in this "
         f"build (the loader refuses larger layers), so bits {dim_bits} and up stay 0"),
        ("eie_ccu", r"g_base_inc_q|g_ptr_inc_q", lambda b: b >= max(dim_bits, ptr_bits) - clog2(pe),
         "the upper bits of a column or pointer base plus one (base >> log2(NumPe)), as above"),
        ("eie_ccu", r"desc_rdata|nxt_w0_q",
         lambda b: dim_bits <= b < DIM_W or DIM_W + dim_bits <= b < 2 * DIM_W or b >= 54,
         "a descriptor word: the row and column fields above the largest dimension (as above), "
         "and bits 54-63, which no field uses"),
        ("eie_ccu|eie_top|eie_pe", r"num_active(_[qio])?", lambda b: b >= clog2(pe + 1),
         f"the active PE count: at most NumPe = {pe} (the CCU clamps larger writes)"),
        ("eie_ccu|eie_top|eie_pe|eie_pe_ptr_read|eie_bcast_hold",
         r"bcast_ptr(_[qio])?|p_index(_inc)?", lambda b: b >= ptr_bits,
         f"a pointer index, at most PtrDepth = {ptr}"),
        ("eie_bcast_hold|eie_top", r"ptr_q|pe_ptr(_o)?", lambda b: b % DIM_W >= ptr_bits,
         "a pointer index in a hold slot or on its way to a PE (DimWidth bits each), as above"),
        ("eie_pe|eie_pe_ptr_read|eie_pe_spmat_read",
         r"b_start(_o)?|b_end(_o)?|fifo_start|fifo_end|col_start_i|col_end_i|e_base_q|e_addr|"
         r"even_rdata|odd_rdata|host_ptr_rdata", lambda b: b >= entry_bits,
         f"a 20-bit entry pointer: at most SpmatDepth x 8 = {spmat * 8} entries in this build"),
        ("eie_pe_ptr_read", r"host_rdata_o", lambda b: b >= entry_bits,
         "the pointer read back by the host (as above)"),
        ("eie_fifo", r"push_data_i|pop_data_o",
         lambda b: entry_bits <= b < PTR_W or PTR_W + entry_bits <= b < 2 * PTR_W,
         "the two entry pointers of a queue entry (bits 0-19 and 20-39), as above"),
        ("eie_pe", r"pe_idx_i", lambda b: b >= clog2(pe),
         f"the PE's index, a constant of each instance, below NumPe = {pe}"),
        ("eie_ccu|eie_pe|eie_top", r"cycles_[qo]|busy_q|idle_q|full_q|stat_q",
         lambda b: 16 <= b <= 31,
         "a 32-bit cycle counter's bits 16 and up: a run of 65,536 cycles or more, bit 31 2^31 "
         "cycles (about a day of simulation); each counter is one incrementer, whose low bits "
         "toggle"),
        ("eie_lnzd", r"node_valid", lambda b: b in lnzd["node_valid"],
         "the LNZD tree's padding: nodes over no real input are never valid"),
        ("eie_lnzd", r"node_multi", lambda b: b in lnzd["node_multi"],
         "the LNZD tree: a node over fewer than two real inputs never sees two"),
        ("eie_lnzd", r"node_idx", lambda b: b in lnzd["node_idx"],
         "the LNZD tree: index bits 0 in the index of every real input under a node (at a leaf, "
         "in its own index)"),
        ("eie_mul_csa|eie_pe_arith", r"carry_o|m2_carry_[qd]",
         lambda b: b in (0, 1, 3, 5),
         "bits 0, 1, 3 and 5 of the Booth carry-save tree's carry row are constant zeros "
         "(docs/synthesis.md counts them out of the flops too)"),
    ]


_BIT = re.compile(r"^(.*?)(?:\[(\d+)\])?$")


def excluder(build):
    """A function (module, point name) -> the reason it is excluded, or None."""
    compiled = [(re.compile(f"^({m})$"), re.compile(f"^({s})$"), pred, why)
                for m, s, pred, why in rules(build)]

    def check(module, point):
        m = _BIT.match(point)
        name, bit = m.group(1), int(m.group(2)) if m.group(2) is not None else 0
        for mod_re, sig_re, pred, why in compiled:
            if mod_re.match(module) and sig_re.match(name) and pred(bit):
                return why
        return None

    return check
