#!/usr/bin/env python3
"""Unit tests of the energy model (energy/eie_energy.py): python3 energy/test_eie_energy.py."""

import contextlib
import copy
import io
import json
import math
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eie_energy as E  # noqa: E402

MODEL = E.load_json(E.MEMORY_MODEL, "the memory model")
SCALE = MODEL["logic_scaling"]


def power_report(window=100):
    """A calibration report of the small configuration in which every block's numbers are known:
    dynamic energy 10 pJ a cycle, clock 2 + 1 pJ a cycle, no leakage, one action in the window
    per 10 cycles."""
    blocks = {}
    for b in E.LOGIC:
        blocks[b] = {"flops": 100, "energy_pj_per_cycle": 12.0, "clock_only_pj_per_cycle": 2.0,
                     "clock_net_pj_per_cycle": 1.0, "leakage_pj_per_cycle": 0.0,
                     "leakage_mw": 0.0}
    layer = {"predicted": {"broadcasts": 10, "columns": 10, "entries": 10}}
    return {"window_cycles": window, "blocks": blocks,
            "sim": {"config": {"active_pe": 4, "num_pe": 4, "fifo_depth": 8},
                    "activity": {"layers": [layer]}}}


def activity(scale=1):
    mems = {role: {"width": 16, "depth": 64, "instances": 1, "reads": 0, "writes": 0}
            for blocks, roles in E.BLOCKS.values() for role in roles}
    pe = {k: 0 for k in ("broadcasts", "fifo_pushes", "entries", "active_cycles",
                         "host_requests")}
    ccu = {"cycles_compute": 0}
    pe.update(broadcasts=5 * scale, fifo_pushes=4 * scale, entries=20 * scale,
              active_cycles=40 * scale)
    ccu.update(cycles_compute=10 * scale, cycles_idle=1000)
    mems["pe.spmat"].update(width=64, reads=3 * scale)
    return {"pe": pe, "ccu": ccu, "memories": mems}


class MemoryModelTest(unittest.TestCase):
    def setUp(self):
        self.m = E.MemoryModel(MODEL)

    def test_reproduces_the_published_points(self):
        for capacity, pj in MODEL["sram"]["read_64bit_pj"]:
            self.assertAlmostEqual(self.m.read(64, capacity), pj, places=9)

    def test_interpolates_log_log(self):
        # 16 KB sits halfway (in log) between 8 KB at 10 pJ and 32 KB at 20 pJ.
        self.assertAlmostEqual(self.m.read(64, 16384), 10 * math.sqrt(2), places=9)

    def test_bigger_never_costs_less(self):
        prev = None
        for exp in range(4, 26):
            for width in (8, 16, 20, 32, 64, 128, 256, 512):
                e = self.m.read(width, 2 ** exp)
                self.assertGreater(e, 0)
                self.assertGreaterEqual(e, self.m.read(width, 2 ** (exp - 1)))
                if prev is not None and width > 8:
                    self.assertGreaterEqual(e, prev)
                prev = e
            prev = None

    def test_width_rule(self):
        f = MODEL["sram"]["fixed_fraction_at_64bit"]
        self.assertAlmostEqual(self.m.read(128, 32768), 20 * (f + (1 - f) * 2), places=9)
        self.assertAlmostEqual(self.m.write(32, 32768), self.m.read(32, 32768) *
                               MODEL["sram"]["write_over_read"], places=9)

    def test_malformed_models_are_refused(self):
        for broken in ({}, {"sram": {"read_64bit_pj": [[8192, 10]], "fixed_fraction_at_64bit": 0.5,
                                     "write_over_read": 1}},
                       {"sram": {"read_64bit_pj": [[8192, 10], [4096, 20]],
                                 "fixed_fraction_at_64bit": 0.5, "write_over_read": 1}},
                       {"sram": {"read_64bit_pj": [[8192, 10], [32768, 20]],
                                 "fixed_fraction_at_64bit": 1.5, "write_over_read": 1}}):
            with self.assertRaises(E.InputError):
                E.MemoryModel(broken)
        with self.assertRaises(E.InputError):
            self.m.read(64, 0)

    def test_configurations(self):
        mem = {"width": 64, "depth": 1024}
        self.assertEqual(self.m.capacity("pe.spmat", mem, "build"), 8192)
        self.assertEqual(self.m.capacity("pe.spmat", mem, "paper"), 131072)
        with self.assertRaises(E.InputError):
            self.m.capacity("pe.nothing", mem, "paper")


class EnergyTest(unittest.TestCase):
    def setUp(self):
        self.mem = E.MemoryModel(MODEL)
        self.logic = E.LogicModel(power_report(), SCALE)
        self.params = dict(E.RTL_DEFAULTS, **E.SMALL)

    def test_known_counts_give_known_energy(self):
        s = (SCALE["to_nm"] / SCALE["from_nm"]) * (SCALE["to_v"] / SCALE["from_v"]) ** 2
        self.assertAlmostEqual(s, 1 / 16)
        # 10 pJ a cycle over 100 cycles for 10 actions: 100 pJ an action at 0.18 um.
        self.assertAlmostEqual(self.logic.per_action["arith"], 100 * s)
        self.assertAlmostEqual(self.logic.per_action["ccu"], 10 * s)           # per cycle
        self.assertAlmostEqual(self.logic.per_action["pe_other"], 10 / 4 * s)  # per PE-cycle
        self.assertAlmostEqual(self.logic.clock_per_flop["arith"], 3 / 100 * s)
        r = E.layer_energy(activity(), self.mem, self.logic, self.params, "build", 4)
        self.assertEqual(r["cycles"], 10)  # idle cycles are not the layer's
        arith = r["blocks"]["ArithmUnit"]
        self.assertAlmostEqual(arith["logic"], 20 * 100 * s)
        # The same configuration as the calibration: its flops, 4 PEs, 10 cycles.
        self.assertAlmostEqual(arith["clock"], 3 / 100 * s * 25 * 4 * 10)
        self.assertEqual(arith["memory"], 0)
        spmat = r["blocks"]["SpmatRead"]
        self.assertAlmostEqual(spmat["memory"], 3 * self.mem.read(64, 64 * 64 / 8))
        self.assertAlmostEqual(spmat["logic"], 20 * 100 * s)

    def test_block_sum_is_the_total(self):
        r = E.layer_energy(activity(), self.mem, self.logic, self.params, "paper", 4)
        for gated in (False, True):
            by_block, by_kind, total = E.totals(r, gated)
            self.assertAlmostEqual(sum(by_block.values()), total)
            self.assertAlmostEqual(sum(by_kind.values()), total)

    def test_energy_is_linear_in_activity(self):
        one = E.totals(E.layer_energy(activity(1), self.mem, self.logic, self.params, "paper", 4))
        three = E.totals(E.layer_energy(activity(3), self.mem, self.logic, self.params, "paper",
                                        4))
        self.assertAlmostEqual(three[2], 3 * one[2])

    def test_gating_never_costs_more_when_idle(self):
        a = activity()
        a["pe"].update(entries=0, broadcasts=0, fifo_pushes=0)
        r = E.layer_energy(a, self.mem, self.logic, self.params, "paper", 4)
        self.assertLess(E.totals(r, True)[2], E.totals(r, False)[2])

    def test_touched_bits_gated_in_groups(self):
        # ActRW's 100 flops hold 2 x ActDepth touched bits: gated, a group of TOUCHED_GROUP of
        # them is clocked per accumulation (one an entry) and each group's gate every cycle;
        # the other flops follow the block's rule (2 always, the rest on an entry).
        report = power_report()
        report["blocks"]["act_rw"]["flops"] = 400  # 100 a PE
        logic = E.LogicModel(report, SCALE)
        r = E.layer_energy(activity(), self.mem, logic, self.params, "build", 4)
        s = (SCALE["to_nm"] / SCALE["from_nm"]) * (SCALE["to_v"] / SCALE["from_v"]) ** 2
        clk, touched, entries, cycles = 3 / 400 * s, 2 * self.params["ActDepth"], 20, 10
        want = clk * (E.TOUCHED_GROUP * entries +
                      E.GATE_FLOP_EQUIV * touched / E.TOUCHED_GROUP * cycles * 4)
        want += clk * (2 * cycles * 4 + (100 - touched - 2) * entries)
        self.assertAlmostEqual(r["blocks"]["ActRW"]["clock_gated"], want)
        self.assertAlmostEqual(r["blocks"]["ActRW"]["clock"], clk * 100 * 4 * cycles)

    def test_more_pes_cost_more_clock(self):
        big = dict(self.params, NumPe=64)
        small = E.layer_energy(activity(), self.mem, self.logic, self.params, "paper", 4)
        large = E.layer_energy(activity(), self.mem, self.logic, big, "paper", 4)
        self.assertGreater(E.totals(large)[1]["clock"], E.totals(small)[1]["clock"])

    def test_missing_fields_are_errors(self):
        broken = power_report()
        del broken["blocks"]["fifo"]
        with self.assertRaises(E.InputError):
            E.LogicModel(broken, SCALE)
        broken = power_report()
        broken["sim"]["config"]["num_pe"] = 8
        with self.assertRaises(E.InputError):
            E.LogicModel(broken, SCALE)
        a = activity()
        del a["memories"]["pe.acc"]
        with self.assertRaises(E.InputError):
            E.layer_energy(a, self.mem, self.logic, self.params, "paper", 4)

    def test_command_line(self):
        with tempfile.TemporaryDirectory() as d:
            power = os.path.join(d, "power.json")
            run = os.path.join(d, "Alex-6.uniform.json")
            with open(power, "w") as f:
                json.dump(power_report(), f)
            layer = copy.deepcopy(activity())
            layer["predicted"] = {"spmat_words_by_width": {"32": 5, "64": 3, "128": 2}}
            with open(run, "w") as f:
                json.dump({"inferences": 1, "config": {"active_pe": 64},
                           "benchmark": {"layer": "Alex-6", "paper_actual_us": 30.3},
                           "activity": {"counters": "rtl", "layers": [layer]}}, f)
            out = os.path.join(d, "out")
            quiet = contextlib.redirect_stdout(io.StringIO())
            with quiet, contextlib.redirect_stderr(io.StringIO()):
                self.assertEqual(E.main([run, "--power", power, "--out", out]), 0)
            report = E.load_json(os.path.join(out, "energy.json"), "report")
            r = report["runs"]["Alex-6.uniform"]
            self.assertAlmostEqual(sum(r["by_block_nj"].values()), r["nj"])
            self.assertAlmostEqual(r["paper_nj"], 9.157 * 64 * 30.3)
            self.assertAlmostEqual(r["ratio_to_paper"], r["nj"] / r["paper_nj"])
            # A network: each layer too, and the layers add up to it.
            net = os.path.join(d, "net.json")
            with open(net, "w") as f:
                json.dump({"inferences": 2, "config": {"active_pe": 64},
                           "activity": {"counters": "rtl", "layers": [layer, layer]}}, f)
            with quiet, contextlib.redirect_stderr(io.StringIO()):
                self.assertEqual(E.main([net, "--power", power, "--out", out]), 0)
            runs = E.load_json(os.path.join(out, "energy.json"), "report")["runs"]
            self.assertEqual(sorted(runs), ["net", "net layer 1", "net layer 2"])
            self.assertAlmostEqual(runs["net layer 1"]["nj"] + runs["net layer 2"]["nj"],
                                   runs["net"]["nj"])
            self.assertAlmostEqual(runs["net"]["nj"], 2 * r["nj"] / 2)  # 2 layers, 2 inferences
            with open(run, "w") as f:
                f.write("{not json")
            with contextlib.redirect_stderr(io.StringIO()) as err:
                self.assertEqual(E.main([os.path.join(d, "missing.json"), "--power", power]), 1)
                self.assertEqual(E.main([run, "--power", power]), 1)
            self.assertIn("missing.json: cannot read", err.getvalue())
            # Files of the wrong kind: exit 1 with a message, never a traceback.
            listed = os.path.join(d, "list.json")
            with open(listed, "w") as f:
                f.write("[1, 2]")
            with contextlib.redirect_stderr(io.StringIO()) as wrong:
                self.assertEqual(E.main([net, "--power", listed]), 1)
                self.assertEqual(E.main([listed, "--power", power]), 1)
                self.assertEqual(E.main([net, "--power", power, "--timing", listed]), 1)
                self.assertEqual(E.main([net, "--power", power, "--cpu", listed]), 1)
            self.assertNotIn("Traceback", wrong.getvalue())
            self.assertIn("no timing result at NumPe 64", wrong.getvalue())
            self.assertIn("Alex-6.uniform.json: cannot read", err.getvalue())


if __name__ == "__main__":
    unittest.main()
