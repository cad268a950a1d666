#!/usr/bin/env python3
"""Mutation check: does the regression catch small, plausible RTL bugs?

Each mutant is one edit to a throwaway copy of rtl/ (never to rtl/ itself), built as the 6-PE
simulation (eie_sim_pe6) in BUILD/mutants/build and run on directed scenarios and soak seeds; a
mutant is caught ("killed") when a run fails, and the first failure's message says how. The
unmutated copy runs the same set first and must pass.

Usage: scripts/mutation.py [--only NAME ... | --sample N] [--seeds N] [--build-dir build]
       scripts/mutation.py --fuzz SECONDS [--only NAME ... | --sample N]
--sample N takes N consecutive mutants of the list, starting where the day's number (days since
1970, UTC) times N falls: a subset that rotates through the whole list from day to day, as
`make test` runs it to keep CI's time in hand; `make mutation` runs them all.
--fuzz SECONDS asks the RTL fuzzer instead (tb/fuzz_rtl.cpp, libFuzzer, clang, built in
BUILD/mutants/fuzz): each mutant is fuzzed from an empty corpus, with no seed inputs, for at most
SECONDS, and is caught when the fuzzer finds a failing input; the report gives the time and the
executions it took. It measures the fuzzer's search; --fuzz-seeded starts from the committed
corpus (tests/fuzz/corpus/rtl) instead, as `make fuzz` does.
Exit status 1 if a mutant survives or the baseline fails. Report: BUILD/mutants/report.md
(fuzz_report.md with --fuzz).
"""

import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import soak  # noqa: E402

# name: (file, original text, mutated text, what the bug is)
MUTANTS = {
    "zero_count_off_by_one": (
        "eie_pe_arith.sv", "prev_row_q + RowW'({entry_skip_i, r_z}) + 1'b1",
        "prev_row_q + RowW'({entry_skip_i, r_z})",
        "relative row index: row = previous + z instead of previous + z + 1"),
    "skip_row_not_advanced": (
        "eie_pe_arith.sv", "RowW'({entry_skip_i, r_z})", "RowW'(r_z)",
        "a padding entry E stepped over does not move the row on by 16"),
    "skip_from_column_first": (
        "eie_pe_spmat_read.sv", "!e_last_q && !e_first_q && e_addr[2:0]",
        "!e_last_q && e_addr[2:0]",
        "E decides a skip at a column's first entry, from the word read before"),
    "bypass_ahead_dropped": (
        "eie_pe_arith.sv", "assign s2_old = s2_hit_q ? byp_acc_q : s2_old_q;",
        "assign s2_old = s2_old_q;",
        "no forwarding of the accumulator the entry just ahead wrote in the previous cycle"),
    "bypass_two_ahead_dropped": (
        "eie_pe_arith.sv",
        "else if (byp_valid_q && byp_row_q == s1_row_q) s1_old = byp_acc_q;\n", "",
        "no forwarding of the accumulator the entry two ahead wrote while this one read it"),
    "ready_forgets_broadcast_register": (
        "eie_pe.sv", "assign credit_early = (LevelW+2)'(level_lo) + (LevelW+2)'(bcast);",
        "assign credit_early = (LevelW+2)'(level_lo);",
        "the registered ready leaves out the broadcast on its way in the CCU's register"),
    "rounding_truncates": (
        "eie_pe_arith.sv",
        "assign s1_round  = (w_frac_i != 4'd0) && s1_product_q[{1'b0, w_frac_i - 4'd1}];",
        "assign s1_round  = 1'b0;", "scaled products truncated instead of rounded half up"),
    "padding_weight_from_codebook": (
        "eie_pe_arith.sv", "assign r_weight = (r_v == 4'd0) ? '0 : codebook_i[r_v*ActW +: ActW];",
        "assign r_weight = codebook_i[r_v*ActW +: ActW];",
        "index 0 (padding) takes codebook[0] instead of exact zero"),
    "accumulator_wraps": (
        "eie_pe_arith.sv", "if (s2_sum[AccWidth] != s2_sum[AccWidth-1]) s2_new = s2_sum[AccWidth] ? AccMin : AccMax;\n    else s2_new = s2_sum[AccWidth-1:0];",
        "s2_new = s2_sum[AccWidth-1:0];", "the 32-bit accumulator wraps instead of saturating"),
    "relu_dropped": (
        "eie_pe_act_rw.sv", "if (wb_relu_i && wb_sat[ActW-1]) wb_sat = '0;", "",
        "write-back ignores ReLU"),
    "lnzd_highest_first": (
        "eie_lnzd.sv", "for (int c = 3; c >= 0; c--) begin", "for (int c = 0; c < 4; c++) begin",
        "the LNZD node picks its highest valid child instead of the lowest"),
    "empty_column_pushed": (
        "eie_pe_ptr_read.sv", "assign b_push_o     = b_valid_q && b_start_o != b_end_o;",
        "assign b_push_o     = b_valid_q;", "columns with no entries enter the queue"),
    "writeback_int16_saturation_dropped": (
        "eie_pe_act_rw.sv", "if ($signed(wb_value) > ActMax) wb_sat = ActMax[ActW-1:0];\n    else if ($signed(wb_value) < ActMin) wb_sat = ActMin[ActW-1:0];\n    else wb_sat",
        "wb_sat", "write-back truncates to 16 bits instead of saturating"),
    "first_touch_misses_write_in_flight": (
        "eie_pe_arith.sv", " || (s2_valid_q && s2_row_q == m1_row_q));", ");",
        "an entry behind its row's first by three counts as first (the write in S2 not seen)"),
    "touched_rows_never_cleared": (
        "eie_pe_act_rw.sv", "if (layer_start_i && !acc_sel_i) touched0_q <= '0;",
        "if (1'b0) touched0_q <= '0;",
        "bank 0's rows keep the touched bits of the layer two before (no bias at first touch)"),
    "untouched_row_written_back_from_accumulator": (
        "eie_pe_act_rw.sv",
        "assign wbr_touched   = acc_sel_i ? touched0 : touched1;",
        "assign wbr_touched   = 1'b1;",
        "the write-back reads a row no entry touched from the accumulator instead of its bias"),
    "fetch_overtakes_writeback": (
        "eie_ccu.sv", "(ActAddrW+2)'(f_row_q) + 2 <= (ActAddrW+2)'(wb_row_q);",
        "(ActAddrW+2)'(f_row_q) + 1 <= (ActAddrW+2)'(wb_row_q);",
        "the group fetch reads a source row in the cycle its write-back writes it"),
    "source_forward_dropped": (
        "eie_pe_act_rw.sv", "assign fwd_hit = src_re_i && wb_i && sweep_en_i && row_i == src_addr_i;",
        "assign fwd_hit = 1'b0;",
        "a source read beside the write-back's read of its row returns the row's old value"),
    "forwarded_source_not_held": (
        "eie_pe_act_rw.sv", "                           : fwd_q     ? fwd_data_q : act_rdata",
        "                           : act_rdata",
        "a forwarded source value is lost when the LNZD takes the group a cycle or more later"),
    # Control paths: the CCU's states, counters and group logic, the FIFO, the pointer banks, the
    # write-back's banks, the host port's decode and read-back, reset values.
    "compute_ends_before_last_group": (
        "eie_ccu.sv", "eie_pkg::CcuCompute: if (groups_done)",
        "eie_pkg::CcuCompute: if (!f_more)",
        "a layer leaves Compute once its last group is fetched, before the group is broadcast"),
    "layer_switch_ignores_pe_drain": (
        "eie_ccu.sv",
        "assign leave_layer = state_q == eie_pkg::CcuDrain && pes_idle_i && !wb_busy &&",
        "assign leave_layer = state_q == eie_pkg::CcuDrain && !wb_busy &&",
        "the next layer starts while the PEs still hold entries of this one"),
    "output_ends_with_result_pending": (
        "eie_ccu.sv",
        "eie_pkg::CcuOutput:  if (groups_done && !out_valid_q && !fire) state_d = eie_pkg::CcuIdle;",
        "eie_pkg::CcuOutput:  if (groups_done) state_d = eie_pkg::CcuIdle;",
        "the run ends with its last result not yet accepted"),
    "writeback_stops_a_row_early": (
        "eie_ccu.sv", "wb_more_q <= wb_left_next > 0;", "wb_more_q <= wb_left_next > 1;",
        "the write-back sweep stops one row early when one row is left for PE 0 alone"),
    "stalled_broadcast_clears_its_bit": (
        "eie_ccu.sv", "assign mask_after = fire ? (g_mask_q & ~onehot) : g_mask_q;",
        "assign mask_after = g_mask_q & ~onehot;",
        "the LNZD clears a non-zero's mask bit even when the broadcast stalls (the value is lost)"),
    "group_ends_after_one_broadcast": (
        "eie_ccu.sv",
        "assign g_consumed = g_valid_q && (!lnzd_valid || (fire && !lnzd_multi));",
        "assign g_consumed = g_valid_q && (!lnzd_valid || fire);",
        "a group is dropped after its first non-zero"),
    "broadcast_ignores_full_fifos": (
        "eie_ccu.sv",
        "assign sink_ready = to_output ? (!out_valid_q || out_ready_i) : bcast_ready_i;",
        "assign sink_ready = to_output ? (!out_valid_q || out_ready_i) : 1'b1;",
        "the broadcast does not stall for a PE whose queue is full"),
    "switch_before_descriptor_word1": (
        "eie_ccu.sv", "assign pf_ready    = pf_cnt_q == 2'd2;", "assign pf_ready    = pf_cnt_q != 2'd0;",
        "a layer starts before its descriptor's second word (pointer and bias base) is read"),
    "source_bank_not_swapped": (
        "eie_ccu.sv", "src_sel_o <= !src_sel_o;", "src_sel_o <= src_sel_o;",
        "the next layer reads the activation bank the layer before read, not the one it wrote"),
    "zero_activations_broadcast": (
        "eie_ccu.sv", "(to_output || src_data_i[k*ActW +: ActW] != '0);", "1'b1;",
        "zero activations enter the group mask and are broadcast"),
    "fifo_level_on_push_and_pop": (
        "eie_fifo.sv", "else if (pop && !push) count_q <= count_q - 1'b1;",
        "else if (pop) count_q <= count_q - 1'b1;",
        "a push and a pop in one cycle lower the FIFO's level"),
    "fifo_pointer_wraps_late": (
        "eie_fifo.sv", "next_ptr = (32'(p) == Depth - 1) ? '0 : p + 1'b1;",
        "next_ptr = (32'(p) == Depth) ? '0 : p + 1'b1;",
        "the FIFO's pointers wrap one slot past the last"),
    "pointer_banks_swapped_for_end": (
        "eie_pe_ptr_read.sv", "assign b_end_o      = b_odd_q ? even_rdata : odd_rdata;",
        "assign b_end_o      = b_odd_q ? odd_rdata : even_rdata;",
        "a column's end pointer is read from the bank of its start"),
    "writeback_reads_compute_bank": (
        "eie_pe_act_rw.sv",
        "if (wbr_touched_q) wb_value = acc_rdata[!acc_sel_i*AccWidth +: AccWidth];",
        "if (wbr_touched_q) wb_value = acc_rdata[acc_sel_i*AccWidth +: AccWidth];",
        "the write-back reads the accumulator bank the next layer computes in"),
    "readback_accumulator_from_activation": (
        "eie_pe.sv", "eie_pkg::TgtAcc:   host_rdata_o = 64'($signed(host_acc_rdata));",
        "eie_pkg::TgtAcc:   host_rdata_o = 64'($signed(host_act_rdata));",
        "a host read of an accumulator returns the activation at that address"),
    "host_read_from_wrong_pe": (
        "eie_top.sv", "? pe_rdata[rsp_pe1_q*64 +: 64] : ccu_rdata_q;",
        "? pe_rdata[rsp_pe0_q*64 +: 64] : ccu_rdata_q;",
        "the read-back takes the PE of the request behind the one it answers"),
    "broadcast_valid_out_of_reset": (
        "eie_ccu.sv", "if (!rst_ni) bcast_valid_q <= 1'b0;", "if (!rst_ni) bcast_valid_q <= 1'b1;",
        "a broadcast leaves the CCU's register straight out of reset"),
    "held_broadcast_youngest_first": (
        "eie_bcast_hold.sv",
        "for (int unsigned i = HoldSlots; i > 0; i--) begin  // the oldest wins: scan youngest first",
        "for (int unsigned i = 1; i <= HoldSlots; i++) begin",
        "a PE takes its youngest held broadcast first: its columns arrive out of order"),
    "live_broadcast_passes_held": (
        "eie_bcast_hold.sv", "assign accept        = pe_ready_i & ~pending_q;",
        "assign accept        = pe_ready_i;",
        "a PE takes a live broadcast while an older one is still held for it"),
    "hold_slot_freed_while_waited_for": (
        "eie_bcast_hold.sv",
        "assign retire        = used_q != '0 && wait_q[head_q*NumPe +: NumPe] == '0;",
        "assign retire        = used_q != '0;",
        "a hold slot frees before every PE it waits for has taken its broadcast"),
    "held_take_ignores_ready": (
        "eie_bcast_hold.sv", "assign take          = pe_ready_i & pending_q;",
        "assign take          = pending_q;",
        "a PE takes a held broadcast while its FIFO has no room"),
    "held_data_a_cycle_early": (
        "eie_bcast_hold.sv", "    if (alloc_q) begin", "    if (alloc) begin",
        "a hold slot copies the broadcast register a cycle early (the broadcast before)"),
}

BUILD = ("eie_sim_pe6", soak.BUILDS["eie_sim_pe6"])
DIRECTED = [
    "--scenario rounding --pe 6 --seed 3",
    "--scenario sat-order --pe 2",
    "--sizes 120,100,60 --weight-density 0.5 --act-density 0.9 --wide --seed 15",
    "--sizes 300,200,50 --weight-density 0.1 --act-density 0.5 --seed 25 --inferences 2",
    "--sizes 400,250 --weight-density 0.02 --act-density 0.6 --seed 7 --dirty-codebook0",
    "--scenario empty-cols --sizes 140,90 --weight-density 0.3 --act-density 0.8 --seed 8",
    "--sizes 200,150 --weight-density 0.3 --act-density 0.8 --fifo 1 --seed 26",
    # Host read-back of every memory and result, with back-to-back requests to different PEs;
    # three layers, so the results sit in activation bank 1 (an even count ends in bank 0, where
    # a design that never swaps its banks also leaves them).
    "--sizes 60,40,30,20 --weight-density 0.4 --act-density 0.7 --seed 31 --readback "
    "--inferences 2",
]


def run_set(binary, seeds, jobs):
    """Runs the directed scenarios and soak seeds; returns (runs, first failure or None)."""
    cmds = [[binary] + a.split() + ["--quiet"] for a in DIRECTED]
    cmds += [[binary] + soak.config_for(s, BUILD)[1] for s in range(1, seeds + 1)]

    def one(cmd):
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=120)
        return cmd, p.returncode, p.stdout

    first = None
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        for cmd, rc, out in pool.map(one, cmds):
            if rc != 0 and first is None:
                lines = [l.strip() for l in out.splitlines() if l.strip()]
                # An RTL assertion's own message says more than the verdict line after it.
                asserts = [l for l in lines if "Assertion failed" in l]
                first = (" ".join(cmd[1:]),
                         asserts[0] if asserts else lines[-1] if lines else f"exit {rc}")
    return len(cmds), first


def build(build_dir, rtl_dir, jobs, log):
    with open(log, "w") as f:
        for cmd in (["cmake", "-S", ROOT, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release",
                     f"-DEIE_RTL_DIR={rtl_dir}", "-DEIE_GATE_SIM=OFF",
                     f"-DEIE_SIM_ONLY={BUILD[0]}"],
                    ["cmake", "--build", build_dir, "-j", str(jobs), "--target", BUILD[0]]):
            if subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT).returncode != 0:
                return False
    return True


def build_fuzzer(build_dir, rtl_dir, jobs, log):
    env = dict(os.environ, CC="clang", CXX="clang++")
    with open(log, "w") as f:
        for cmd in (["cmake", "-S", ROOT, "-B", build_dir, "-DCMAKE_BUILD_TYPE=RelWithDebInfo",
                     "-DEIE_FUZZ=ON", f"-DEIE_RTL_DIR={rtl_dir}"],
                    ["cmake", "--build", build_dir, "-j", str(jobs), "--target", "fuzz_rtl"]):
            if subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, env=env).returncode != 0:
                return False
    return True


def fuzz(binary, seconds, work, seeded):
    """Fuzzes from an empty corpus, or from the committed one (seeded); returns (seconds,
    executions, first failure or None)."""
    corpus = os.path.join(work, "corpus")
    shutil.rmtree(corpus, ignore_errors=True)
    os.makedirs(corpus)
    t0 = time.time()
    seeds = [os.path.join(ROOT, "tests", "fuzz", "corpus", "rtl")] if seeded else []
    cmd = [binary, corpus] + seeds + [f"-max_total_time={seconds}", "-timeout=10",
                                      "-rss_limit_mb=2048", "-print_final_stats=1",
                                      "-artifact_prefix=" + os.path.join(work, "crash-")]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=seconds + 120)
    secs = time.time() - t0
    execs = 0
    for line in p.stdout.splitlines():
        if line.startswith("#") and line[1:].split()[0].isdigit():
            execs = int(line[1:].split()[0])
        elif line.startswith("stat::number_of_executed_units:"):
            execs = int(line.split(":")[-1])
    if p.returncode == 0:
        return secs, execs, None
    lines = p.stdout.splitlines()
    # An RTL assertion's own message says more than the verdict line after it.
    asserts = [l.strip() for l in lines if "Assertion failed" in l]
    fails = [l.strip() for l in lines if l.startswith("FAIL [fuzz_rtl]")]
    errors = [l.strip() for l in lines if "ERROR" in l]
    return secs, execs, (asserts or fails or errors or [f"exit {p.returncode}"])[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="*", choices=sorted(MUTANTS), help="these mutants only")
    ap.add_argument("--seeds", type=int, default=40, help="soak seeds per mutant")
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "build"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--sample", type=int, default=0, help="N mutants, rotating daily (0: all)")
    ap.add_argument("--fuzz", type=int, default=0, metavar="SECONDS",
                    help="ask the RTL fuzzer, from an empty corpus, for at most SECONDS each")
    ap.add_argument("--fuzz-seeded", action="store_true",
                    help="with --fuzz: start from tests/fuzz/corpus/rtl instead")
    a = ap.parse_args()
    names = a.only or list(MUTANTS)
    if a.sample < 0:
        ap.error("--sample must be 0 or more")
    if a.sample and not a.only:
        start = (int(time.time() // 86400) * a.sample) % len(names)
        names = [names[(start + i) % len(names)] for i in range(min(a.sample, len(names)))]
        print(f"mutation: today's {len(names)} of {len(MUTANTS)}: {', '.join(names)}")
    # Every edit must apply to today's RTL before anything is built.
    for name in names:
        file, old, _, _ = MUTANTS[name]
        if open(os.path.join(ROOT, "rtl", file)).read().count(old) != 1:
            print(f"mutation: {name}: the text to mutate is not in {file} once (was the RTL "
                  f"changed? update MUTANTS)", file=sys.stderr)
            return 2
    work = os.path.join(a.build_dir, "mutants")
    build_dir = os.path.join(work, "fuzz" if a.fuzz else "build")
    os.makedirs(work, exist_ok=True)
    if a.fuzz < 0:
        ap.error("--fuzz must be 0 or more")

    def prepare(name):
        rtl = os.path.join(work, name, "rtl")
        shutil.rmtree(os.path.dirname(rtl), ignore_errors=True)
        shutil.copytree(os.path.join(ROOT, "rtl"), rtl)
        if name != "baseline":
            file, old, new, _ = MUTANTS[name]
            path = os.path.join(rtl, file)
            text = open(path).read()
            if text.count(old) != 1:
                raise SystemExit(f"mutation: {name}: the text to mutate is not in {file} once "
                                 f"(was the RTL changed? update MUTANTS)")
            open(path, "w").write(text.replace(old, new))
        return rtl

    def check(name, rtl, log):
        """Builds and checks one RTL copy: None if the build failed, else (first failure or None,
        what ran, the failing run's arguments or None, extra report cells)."""
        if a.fuzz:
            if not build_fuzzer(build_dir, rtl, a.jobs, log):
                return None
            secs, execs, failure = fuzz(os.path.join(build_dir, "tb", "fuzz_rtl"), a.fuzz,
                                        os.path.join(work, name), a.fuzz_seeded)
            return failure, f"{execs} fuzz executions", None, [f"{secs:.0f}", str(execs)]
        if not build(build_dir, rtl, a.jobs, log):
            return None
        runs, failure = run_set(os.path.join(build_dir, "tb", BUILD[0]), a.seeds, a.jobs)
        return (failure[1] if failure else None, f"{runs} runs",
                failure[0] if failure else None, [])

    rows, survived = [], []
    for name in ["baseline"] + names:
        t0 = time.time()
        rtl = prepare(name)
        log = os.path.join(work, name, "build.log")
        result = check(name, rtl, log)
        if result is None:
            # A mutant that does not compile tells nothing about the tests.
            print(f"mutation: {name}: build failed, see {log}", file=sys.stderr)
            return 1
        failure, ran, by, extra = result
        secs = time.time() - t0
        if name == "baseline":
            if failure:
                print(f"mutation: the unmutated RTL fails: {by or ''} {failure}", file=sys.stderr)
                return 1
            print(f"baseline: {ran} pass ({secs:.0f} s)")
            continue
        verdict = "caught" if failure else "SURVIVED"
        print(f"{name}: {verdict} ({secs:.0f} s, {ran}): {failure or '-'}")
        if by:
            print(f"  by: {BUILD[0]} {by}")
        if not failure:
            survived.append(name)
        rows.append([f"`{name}`", MUTANTS[name][3], verdict] + extra +
                    [(failure or "-").replace("|", "/")])

    extra_heads = ["seconds", "executions"] if a.fuzz else []
    md = ["| " + " | ".join(["mutant", "bug", "result"] + extra_heads + ["first failing check"]) +
          " |", "|---|---|---|" + "---:|" * len(extra_heads) + "---|"]
    md += ["| " + " | ".join(r) + " |" for r in rows]
    open(os.path.join(work, "fuzz_report.md" if a.fuzz else "report.md"), "w").write(
        "\n".join(md) + "\n")
    caught = len(rows) - len(survived)
    print(f"mutation: {caught} of {len(rows)} mutants caught" +
          (f"; survived: {' '.join(survived)}" if survived else ""))
    # Leave the build folder pointing at the real RTL for the next run's baseline.
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
