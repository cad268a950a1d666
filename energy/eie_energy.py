#!/usr/bin/env python3
"""Energy of EIE inference from the RTL's own activity (docs/energy.md).

Energy of a run = memory accesses x energy per access + logic actions x energy per action +
cycles x clock energy, where
- the accesses and actions are the RTL's activity counters (eie_sim --json: "activity", checked
  against the golden model on every run),
- the energy per SRAM access comes from energy/memory_energy.json (Horowitz's 45 nm figures,
  interpolated in capacity and width) for a stated memory configuration: "paper" (the EIE paper's
  per-PE SRAM sizes) or "build" (the simulated build's own sizes),
- the energy per logic action and the clock energy per flop come from the gate-level power of the
  small configuration's netlist (synth/eie_power.py: OpenSTA with the activity of a gate-level
  simulation), scaled from the OSU 0.18 um cells at 1.8 V to 45 nm at 0.9 V (memory_energy.json,
  logic_scaling), and to the target's flop counts (synth/eie_synth.py expected_flops).

Usage: energy/eie_energy.py --power POWER.json [--memory energy/memory_energy.json]
         [--mem-config paper|build] [--num-pe 64 --fifo-depth 8] [--fmax-mhz F | --timing
         synth/reports/timing/summary.json] [--cpu CPU.json --cpu-watts W] [--table2-run NAME]
         [--out DIR] [--plot FILE] [--doc docs/energy.md] RUN.json...
RUN.json: eie_sim reports (a benchmark layer, or a network such as LeNet-300-100 on MNIST); the
run's name is the file name without .json; a run of several layers also gets a row per layer.
Prints the tables; writes DIR/energy.json and DIR/energy.md (atomically), the plot, and with
--doc the marked tables of a Markdown page. Exit status 1 on bad input, 2 on bad arguments.
"""

import argparse
import json
import math
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "synth"))
from eie_synth import PAPER_PE, RTL_DEFAULTS, SMALL, expected_flops  # noqa: E402
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from update_doc_tables import replace_marked, write_atomic  # noqa: E402

MEMORY_MODEL = os.path.join(ROOT, "energy", "memory_energy.json")

# Logic blocks of synth/eie_power.py, the RTL module whose flops each holds, and the action its
# dynamic (non-clock) energy is charged to. "pe_cycles": every cycle of every active PE;
# "cycles": every cycle of the layer (the CCU and the top level are one per chip).
LOGIC = {
    "ptr_read": ("eie_pe_ptr_read", "broadcasts"),
    "fifo": ("eie_fifo", "fifo_pushes"),
    "spmat_read": ("eie_pe_spmat_read", "entries"),
    "arith": ("eie_pe_arith", "entries"),
    "act_rw": ("eie_pe_act_rw", "entries"),
    "pe_other": ("eie_pe", "pe_cycles"),
    "ccu": ("eie_ccu", "cycles"),
    "hold": ("eie_bcast_hold", "cycles"),
    "top": ("eie_top", "cycles"),
}
PER_CHIP = {"ccu", "hold", "top"}
# Blocks as in the EIE paper's Table II (per PE) plus the chip-level control, with the logic
# blocks and memories (eie_sim's "memories" roles) each holds.
BLOCKS = {
    "PtrRead": (["ptr_read"], ["pe.ptr_even", "pe.ptr_odd"]),
    "SpmatRead": (["spmat_read"], ["pe.spmat"]),
    "ArithmUnit": (["arith"], []),
    "ActRW": (["act_rw"], ["pe.acc", "pe.act", "pe.bias"]),
    "Act queue": (["fifo"], []),
    "PE control": (["pe_other"], []),
    "CCU, LNZD, hold": (["ccu", "hold", "top"], ["ccu.desc", "ccu.codebook"]),
}
# Flops a block must clock every cycle even with clock gating (valid bits, pointers, counters);
# the rest load only with an enable the RTL already has, which is what a gated clock would use.
ALWAYS_CLOCKED = {"ptr_read": 1, "fifo": 12, "spmat_read": 2, "arith": 5, "act_rw": 2,
                  "pe_other": 101}
# A gated group (one enable) costs an integrated clock gate every cycle: about two flops' clock
# pins (a latch and an AND). Groups per PE: ptr_read 1, FIFO slots 9, spmat_read 2 (E, R),
# arith 5 stages, act_rw 1, pe_other 2 (host request, read-back).
GATE_GROUPS_PER_PE, GATE_FLOP_EQUIV = 20, 2.0
# The touched bits (2 x ActDepth a PE, one per row and accumulator bank) have an enable per bit;
# gated, they are taken in groups of this many rows, one clock gate each.
TOUCHED_GROUP = 32
# EIE (ISCA 2016) Table II: PE power at 800 MHz. Each benchmark run's Table IV time comes in its
# report (eie_sim --json "benchmark", from golden/model/benchmark_layers.cpp).
PAPER = {
    "pe_mw": 9.157, "pes": 64, "mhz": 800.0,
    "table2_mw": {"Act queue": 0.112, "PtrRead": 1.807, "SpmatRead": 4.955, "ArithmUnit": 1.162,
                  "ActRW": 1.122},
}


class InputError(Exception):
    pass


def load_json(path, what):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise InputError(f"{path}: cannot read {what}: {e}")


class MemoryModel:
    """Energy per SRAM access (pJ, 45 nm) from memory_energy.json."""

    def __init__(self, model):
        try:
            sram = model["sram"]
            self.points = [(float(c), float(e)) for c, e in sram["read_64bit_pj"]]
            self.fixed = float(sram["fixed_fraction_at_64bit"])
            self.write_ratio = float(sram["write_over_read"])
            self.configs = model.get("memory_configs", {})
        except (KeyError, TypeError, ValueError) as e:
            raise InputError(f"memory model: missing or malformed field ({e})")
        if len(self.points) < 2 or any(c <= 0 or e <= 0 for c, e in self.points) or \
                any(b[0] <= a[0] for a, b in zip(self.points, self.points[1:])):
            raise InputError("memory model: read_64bit_pj needs two or more (bytes, pJ) points "
                             "with increasing positive capacities and positive energies")
        if not 0 <= self.fixed <= 1 or self.write_ratio <= 0:
            raise InputError("memory model: fixed_fraction_at_64bit in [0, 1], "
                             "write_over_read > 0")

    def read_64(self, capacity_bytes):
        """64-bit read energy at this capacity: log-log linear, end segments extended."""
        if capacity_bytes <= 0:
            raise InputError(f"memory of {capacity_bytes} bytes")
        pts = self.points
        i = 0
        while i < len(pts) - 2 and capacity_bytes > pts[i + 1][0]:
            i += 1
        (c0, e0), (c1, e1) = pts[i], pts[i + 1]
        slope = math.log(e1 / e0) / math.log(c1 / c0)
        return e0 * (capacity_bytes / c0) ** slope

    def read(self, width_bits, capacity_bytes):
        return self.read_64(capacity_bytes) * (self.fixed + (1 - self.fixed) * width_bits / 64)

    def write(self, width_bits, capacity_bytes):
        return self.write_ratio * self.read(width_bits, capacity_bytes)

    def capacity(self, role, mem, config):
        """Bytes of one instance of a memory role under a configuration ("build": its own)."""
        if config == "build":
            return mem["width"] * mem["depth"] / 8
        try:
            return float(self.configs[config][role]["bytes"])
        except KeyError:
            raise InputError(f"memory configuration {config!r} has no size for {role}")


class LogicModel:
    """Energy per logic action and clock energy per flop (pJ, 45 nm) from eie_power.py's JSON."""

    def __init__(self, power, scaling):
        if not isinstance(power, dict):
            raise InputError("power report: not a JSON object (synth/eie_power.py's power.json)")
        try:
            sim, blocks = power["sim"], power["blocks"]
            self.window = float(power["window_cycles"])
            cal_pe = int(sim["config"]["active_pe"])
            layers = sim["activity"]["layers"]
        except (KeyError, TypeError, ValueError) as e:
            raise InputError(f"power report: missing field {e} (synth/eie_power.py writes it)")
        if self.window <= 0 or cal_pe <= 0 or not layers:
            raise InputError("power report: empty calibration window")
        self.scale = (scaling["to_nm"] / scaling["from_nm"]) * \
            (scaling["to_v"] / scaling["from_v"]) ** 2
        cal = dict(RTL_DEFAULTS, **SMALL)
        if (int(sim["config"]["num_pe"]), int(sim["config"]["fifo_depth"])) != \
                (cal["NumPe"], cal["FifoDepth"]):
            raise InputError("power report: not the small configuration's netlist "
                             f"(synth/eie_synth.py SMALL: {SMALL})")
        self.cal_expected = expected_flops(cal)
        self.netlist_flops = {}  # flops of one instance (a PE's, or the chip's) in the netlist
        # Actions in the calibration window: the compute window holds every broadcast, entry and
        # queue push of its layers (the sweeps are outside it).
        pred = {k: sum(l["predicted"][k] for l in layers)
                for k in ("broadcasts", "columns", "entries")}
        actions = {"broadcasts": pred["broadcasts"], "fifo_pushes": pred["columns"],
                   "entries": pred["entries"], "pe_cycles": self.window * cal_pe,
                   "cycles": self.window}
        self.per_action, self.clock_per_flop = {}, {}
        for b, (module, action) in LOGIC.items():
            blk = blocks.get(b)
            if blk is None or actions[action] <= 0:
                raise InputError(f"power report: no block {b} or no {action} in the window")
            clock = blk["clock_only_pj_per_cycle"] + blk["clock_net_pj_per_cycle"]
            dyn = blk["energy_pj_per_cycle"] - blk["clock_only_pj_per_cycle"] - \
                blk["leakage_pj_per_cycle"]
            self.per_action[b] = max(dyn, 0.0) * self.window / actions[action] * self.scale
            self.clock_per_flop[b] = clock / blk["flops"] * self.scale if blk["flops"] else 0.0
            self.netlist_flops[b] = blk["flops"] / (1 if b in PER_CHIP else cal_pe)

    def flops(self, block, params):
        """Flops of one instance of the block (one PE's, or the chip's) at params."""
        module = LOGIC[block][0]
        return self.netlist_flops[block] * expected_flops(dict(RTL_DEFAULTS, **params))[module] / \
            self.cal_expected[module]


def layer_energy(act, mem_model, logic, params, mem_config, active_pe):
    """Energy (pJ) of one summarised activity (eie_sim "activity" layer entry) by block and kind.
    Returns {"blocks": {block: {"memory", "logic", "clock", "clock_gated"}}, "cycles": n}."""
    try:
        pe, ccu, mems = act["pe"], act["ccu"], act["memories"]
    except KeyError as e:
        raise InputError(f"activity without {e}")
    cycles = sum(v for k, v in ccu.items() if k.startswith("cycles_") and k != "cycles_idle")
    actions = {"broadcasts": pe["broadcasts"], "fifo_pushes": pe["fifo_pushes"],
               "entries": pe["entries"], "pe_cycles": pe["active_cycles"], "cycles": cycles}
    # The FIFO writes its free slot at every pointer read (eie_fifo store_i), one of 9 slots.
    enabled = {"ptr_read": pe["broadcasts"], "fifo": pe["broadcasts"] / 9.0,
               "spmat_read": pe["entries"], "arith": pe["entries"], "act_rw": pe["entries"],
               "pe_other": pe["host_requests"]}
    out = {}
    for name, (blocks, roles) in BLOCKS.items():
        e = {"memory": 0.0, "logic": 0.0, "clock": 0.0, "clock_gated": 0.0}
        for role in roles:
            m = mems.get(role)
            if m is None:
                raise InputError(f"activity has no memory {role}")
            cap = mem_model.capacity(role, m, mem_config)
            e["memory"] += m["reads"] * mem_model.read(m["width"], cap) + \
                m["writes"] * mem_model.write(m["width"], cap)
        for b in blocks:
            e["logic"] += logic.per_action[b] * actions[LOGIC[b][1]]
            flops = logic.flops(b, params)
            instances = 1 if b in PER_CHIP else params["NumPe"]
            clk = logic.clock_per_flop[b]
            e["clock"] += clk * flops * instances * cycles
            if b in PER_CHIP:
                e["clock_gated"] += clk * flops * cycles  # not gated
            else:
                if b == "act_rw":
                    # The touched bits (eie_pe_act_rw): clocked in groups of TOUCHED_GROUP rows,
                    # a group when an accumulator write sets one of its bits, each group's gate
                    # every cycle; the clear as a layer starts is one cycle of one bank.
                    touched = min(2 * dict(RTL_DEFAULTS, **params)["ActDepth"], flops)
                    flops -= touched
                    e["clock_gated"] += clk * (
                        TOUCHED_GROUP * pe["entries"] +  # one accumulation an entry
                        GATE_FLOP_EQUIV * touched / TOUCHED_GROUP * cycles * active_pe)
                # Active PEs: control flops every cycle, data flops when enabled, the gates'
                # own cost every cycle; inactive PEs: gated off entirely.
                always = min(ALWAYS_CLOCKED[b], flops)
                e["clock_gated"] += clk * (always * cycles * active_pe +
                                           (flops - always) * min(enabled[b], cycles * active_pe))
        out[name] = e
    gates = GATE_GROUPS_PER_PE * GATE_FLOP_EQUIV * logic.clock_per_flop["pe_other"] * \
        cycles * active_pe
    out["PE control"]["clock_gated"] += gates
    return {"blocks": out, "cycles": cycles}


def totals(result, gated=False):
    clock = "clock_gated" if gated else "clock"
    by_block = {b: e["memory"] + e["logic"] + e[clock] for b, e in result["blocks"].items()}
    by_kind = {k: sum(e[k if k != "clock" else clock] for e in result["blocks"].values())
               for k in ("memory", "logic", "clock")}
    return by_block, by_kind, sum(by_block.values())


def add(a, b):
    """Sum of two layer_energy results (a network's layers)."""
    if a is None:
        return json.loads(json.dumps(b))
    for name, e in b["blocks"].items():
        for k, v in e.items():
            a["blocks"][name][k] += v
    a["cycles"] += b["cycles"]
    return a


def table(head, rows):
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    text = "\n".join("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(line, widths)))
                     for line in [head] + rows) + "\n"
    md = "| " + " | ".join(head) + " |\n|" + "---|" * len(head) + "\n" + \
        "".join("| " + " | ".join(r) + " |\n" for r in rows)
    return text, md


def writeback_accesses(output):
    """The last layer's write-back, which runs beside the result stream: that window's
    accumulator and bias accesses and activation writes (the stream itself only reads
    activations), without the stream's cycles or logic (I/O, which the paper does not count)."""
    try:
        mems = {role: dict(m, reads=m["reads"] if role in ("pe.acc", "pe.bias") else 0,
                           writes=m["writes"] if role.startswith("pe.") else 0)
                for role, m in output["memories"].items()}
        return {"pe": {k: 0 for k in output["pe"]}, "ccu": {k: 0 for k in output["ccu"]},
                "memories": mems}
    except (KeyError, TypeError, AttributeError) as e:
        raise InputError(f"result stream activity without {e}")


def summarise(layers, inferences, mem_model, logic, params, mem_config, active, fmax_mhz):
    """Energy per inference of some layers of a run (eie_sim "activity" entries, all runs)."""
    total = None
    for layer in layers:
        total = add(total, layer_energy(layer, mem_model, logic, params, mem_config, active))
    by_block, by_kind, pj = totals(total)
    _, _, pj_gated = totals(total, gated=True)
    per = 1.0 / inferences
    cycles = total["cycles"] * per
    r = {"inferences": inferences, "cycles": cycles, "nj": pj * per / 1000,
         "entries": sum(l["pe"]["entries"] for l in layers) * per,
         "spmat_reads": sum(l["memories"]["pe.spmat"]["reads"] for l in layers) * per,
         "nj_clock_gated": pj_gated * per / 1000,
         "by_block_nj": {b: v * per / 1000 for b, v in by_block.items()},
         "by_kind_nj": {k: v * per / 1000 for k, v in by_kind.items()}}
    # Reading each sparse-matrix word once (eie_pe_spmat_read) against once per entry.
    spmat_pj = 0.0
    for layer in layers:
        m = layer["memories"]["pe.spmat"]
        once = mem_model.read(m["width"], mem_model.capacity("pe.spmat", m, mem_config))
        spmat_pj += (layer["pe"]["entries"] - m["reads"]) * once
    r["read_once_saving_nj"] = spmat_pj * per / 1000
    r["mw_800mhz"] = r["nj"] / (cycles / 800e6) * 1e-6
    r["mw_fmax"] = r["nj"] / (cycles / (fmax_mhz * 1e6)) * 1e-6
    r["inferences_per_joule"] = 1e9 / r["nj"]
    return r


def analyse(runs, mem_model, logic, params, mem_config, fmax_mhz, cpu, cpu_watts):
    report = {"runs": {}, "config": {"mem_config": mem_config, "params": params,
                                     "fmax_mhz_45nm": fmax_mhz}}
    for name, j in runs.items():
        if not isinstance(j, dict):
            raise InputError(f"{name}: not an eie_sim report (a JSON object)")
        try:
            layers = j["activity"]["layers"]
            inferences = j["inferences"]
            active = j["config"]["active_pe"]
        except (KeyError, TypeError) as e:
            raise InputError(f"{name}: not an eie_sim report with activity (missing {e})")
        if j["activity"].get("counters") != "rtl":
            raise InputError(f"{name}: activity without the RTL's counters (a gate-level run?)")
        if not layers or inferences < 1:
            raise InputError(f"{name}: no layer or no inference")
        args = (inferences, mem_model, logic, params, mem_config, active, fmax_mhz)
        # The whole inference: every layer's window (layer l's holds layer l-1's write-back) and
        # the last layer's write-back beside the result stream.
        tail = [writeback_accesses(j["activity"]["output"])] if "output" in j["activity"] else []
        r = summarise(layers + tail, *args)
        bench = j.get("benchmark")
        if bench:
            # The paper's chip power times its actual time: mW x us = nJ.
            paper_nj = PAPER["pe_mw"] * PAPER["pes"] * float(bench["paper_actual_us"])
            r["paper_nj"] = paper_nj
            r["ratio_to_paper"] = r["nj"] / paper_nj
        # The CPU baselines' time times the stated package power: W x us = uJ.
        for kind, us in (cpu or {}).get(bench["layer"] if bench else None, {}).items():
            r[f"cpu_{kind}"] = {"us": us, "nj": us * cpu_watts * 1000,
                                "over_eie": us * cpu_watts * 1000 / r["nj"],
                                "inferences_per_joule": 1e6 / (us * cpu_watts)}
        report["runs"][name] = r
        if len(layers) > 1:  # a network: each layer too
            for l, layer in enumerate(layers):
                report["runs"][f"{name} layer {l + 1}"] = summarise([layer], *args)
    return report


def format_report(report, cpu_watts):
    runs = report["runs"]
    blocks = list(BLOCKS)
    head = ["run", "cycles", "nJ", "memory", "logic", "clock", "mW @800MHz", "mW @fmax",
            "gated nJ", "paper nJ", "ratio"]
    rows = []
    for name, r in runs.items():
        k = r["by_kind_nj"]
        rows.append([name, f"{r['cycles']:.0f}", f"{r['nj']:.1f}",
                     f"{100 * k['memory'] / r['nj']:.0f}%", f"{100 * k['logic'] / r['nj']:.0f}%",
                     f"{100 * k['clock'] / r['nj']:.0f}%", f"{r['mw_800mhz']:.0f}",
                     f"{r['mw_fmax']:.0f}", f"{r['nj_clock_gated']:.1f}",
                     f"{r['paper_nj']:.0f}" if "paper_nj" in r else "-",
                     f"{r['ratio_to_paper']:.2f}" if "ratio_to_paper" in r else "-"])
    main = table(head, rows)
    saving = table(["run", "entries", "word reads", "saved nJ", "saved / per-entry total"],
                   [[name, f"{r['entries']:,.0f}", f"{r['spmat_reads']:,.0f}",
                     f"{r['read_once_saving_nj']:.1f}",
                     f"{100 * r['read_once_saving_nj'] / (r['nj'] + r['read_once_saving_nj']):.0f}"
                     "%"]
                    for name, r in runs.items()])
    rows = [[name] + [f"{r['by_block_nj'][b]:.1f}" for b in blocks] for name, r in runs.items()]
    by_block = table(["run (nJ)"] + blocks, rows)
    cpu_rows = [[name, f"{r['cpu_dense']['us']:.0f}", f"{r['cpu_sparse']['us']:.0f}",
                 f"{r['cpu_dense']['nj'] / 1000:.0f}", f"{r['cpu_sparse']['nj'] / 1000:.0f}",
                 f"{r['nj'] / 1000:.2f}", f"{r['cpu_dense']['over_eie']:,.0f}",
                 f"{r['cpu_sparse']['over_eie']:,.0f}",
                 f"{r['cpu_sparse']['inferences_per_joule']:.3g}",
                 f"{r['inferences_per_joule']:.3g}"]
                for name, r in runs.items() if "cpu_dense" in r and "cpu_sparse" in r]
    cpu = table(["run", "CPU dense us", "CPU sparse us", "dense uJ", "sparse uJ", "EIE uJ",
                 "dense / EIE", "sparse / EIE", "CPU sparse inf/J", "EIE inf/J"],
                cpu_rows) if cpu_rows else None
    return main, by_block, cpu, saving


def pe_power_table(report, run):
    """Per-PE power by block (mW at 800 MHz) of one run beside the paper's Table II."""
    r = report["runs"][run]
    pes = report["config"]["params"]["NumPe"]
    seconds = r["cycles"] / 800e6
    rows = []
    for b in BLOCKS:
        mw = r["by_block_nj"][b] / pes / seconds * 1e-6
        paper = PAPER["table2_mw"].get(b)
        rows.append([b, f"{mw:.3f}", f"{paper:.3f}" if paper is not None else "-"])
    total = r["nj"] / pes / seconds * 1e-6
    rows.append(["total", f"{total:.3f}", f"{PAPER['pe_mw']:.3f}"])
    return table(["block", f"this design, {run} (mW per PE)", "EIE Table II (mW)"], rows)


def width_study(runs, mem_model, mem_config):
    """Total sparse-matrix read energy of each run at SRAM widths 32..512 (fixed capacity)."""
    out = {}
    for name, j in runs.items():
        words = {}
        for layer in j["activity"]["layers"]:
            for w, n in layer["predicted"]["spmat_words_by_width"].items():
                words[int(w)] = words.get(int(w), 0) + n
        spmat = j["activity"]["layers"][0]["memories"]["pe.spmat"]
        cap = mem_model.capacity("pe.spmat", spmat, mem_config)
        out[name] = {w: n * mem_model.read(w, cap) / 1000 / j["inferences"]
                     for w, n in sorted(words.items())}
    return out


def plot(report, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    names = [n for n in report["runs"] if " layer " not in n]  # networks as a whole
    fig, ax = plt.subplots(figsize=(10, 4.5))
    bottom = [0.0] * len(names)
    for b in BLOCKS:
        vals = [report["runs"][n]["by_block_nj"][b] / 1000 for n in names]
        ax.bar(names, vals, bottom=bottom, label=b)
        bottom = [x + y for x, y in zip(bottom, vals)]
    papers = [report["runs"][n].get("paper_nj", float("nan")) / 1000 for n in names]
    ax.plot(names, papers, "k_", markersize=28, mew=2, label="EIE paper (power x time)")
    ax.set_ylabel("energy per inference (uJ, 45 nm)")
    ax.set_title(f"Energy by block, {report['config']['params']['NumPe']} PEs, "
                 f"{report['config']['mem_config']} memories")
    ax.legend(fontsize=8, ncol=2)
    plt.setp(ax.get_xticklabels(), rotation=30, ha="right")
    fig.tight_layout()
    tmp = f"{path}.tmp{os.getpid()}.png"
    try:
        fig.savefig(tmp, dpi=110)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("runs", nargs="+", help="eie_sim --json reports")
    ap.add_argument("--power", required=True, help="synth/eie_power.py's power.json")
    ap.add_argument("--memory", default=MEMORY_MODEL)
    ap.add_argument("--mem-config", default="paper", help="paper (default) or build")
    ap.add_argument("--num-pe", type=int, default=64)
    ap.add_argument("--fifo-depth", type=int, default=8)
    ap.add_argument("--fmax-mhz", type=float, default=800.0,
                    help="clock for the power column (45 nm); default the paper's 800 MHz")
    ap.add_argument("--timing", help="make timing's summary.json: the clock for the power "
                    "column is then the measured fmax at --num-pe, scaled to 45 nm by FO4")
    ap.add_argument("--cpu", help="eie_cpu_baselines' Google Benchmark JSON (make bench)")
    ap.add_argument("--cpu-watts", type=float, default=65.0,
                    help="CPU package power while running a baseline (RAPL is not readable "
                         "here): default 65 W, a desktop CPU's TDP class, not a measurement")
    ap.add_argument("--table2-run", default="Alex-6.uniform",
                    help="the run whose per-PE power stands beside the paper's Table II")
    ap.add_argument("--out", help="folder for energy.json and energy.md")
    ap.add_argument("--plot", help="PNG of the energy by block")
    ap.add_argument("--doc", help="Markdown file whose marked tables to replace (docs/energy.md)")
    a = ap.parse_args(argv)
    if a.num_pe < 1 or a.num_pe > 4096 or a.fifo_depth < 1 or a.fifo_depth > 4096:
        ap.error("--num-pe and --fifo-depth: 1..4096")
    if a.fmax_mhz <= 0 or a.cpu_watts <= 0:
        ap.error("--fmax-mhz and --cpu-watts must be positive")
    try:
        model = load_json(a.memory, "the memory energy model")
        mem = MemoryModel(model)
        if a.mem_config != "build" and a.mem_config not in mem.configs:
            ap.error(f"--mem-config {a.mem_config!r}: build or one of {', '.join(mem.configs)}")
        logic = LogicModel(load_json(a.power, "the power report"), model["logic_scaling"])
        runs = {os.path.basename(p)[:-5] if p.endswith(".json") else os.path.basename(p):
                load_json(p, "an eie_sim report") for p in a.runs}
        params = dict(PAPER_PE, NumPe=a.num_pe, FifoDepth=a.fifo_depth)
        if a.timing:
            summary = load_json(a.timing, "the timing summary")
            rows = [r for r in summary if isinstance(r, dict) and
                    isinstance(r.get("params"), dict) and r["params"].get("NumPe") == a.num_pe] \
                if isinstance(summary, list) else []
            if not rows or not all(isinstance(rows[0].get(k), (int, float)) and rows[0][k] > 0
                                   for k in ("fmax_mhz", "fo4_ps", "fo4_45nm_ps")):
                raise InputError(f"{a.timing}: no timing result at NumPe {a.num_pe} "
                                 "(make timing's summary.json)")
            # docs/timing.md: a path of N FO4 at 0.18 um takes N FO4 at 45 nm.
            a.fmax_mhz = rows[0]["fmax_mhz"] * rows[0]["fo4_ps"] / rows[0]["fo4_45nm_ps"]
        cpu = None
        if a.cpu:
            # Dense: OpenBLAS GEMV; sparse: the faster of Eigen CSR SpMV and the golden kernel.
            cpu = {}
            bench = load_json(a.cpu, "CPU baselines")
            if not isinstance(bench, dict) or not isinstance(bench.get("benchmarks"), list) or \
                    not bench["benchmarks"]:
                raise InputError(f"{a.cpu}: no benchmarks (eie_cpu_baselines' JSON)")
            for b in bench["benchmarks"]:
                kind, _, layer = b.get("name", "").partition("/")
                if b.get("time_unit", "us") != "us":
                    raise InputError(f"{a.cpu}: {b.get('name')} not in microseconds")
                k = "dense" if kind == "dense_gemv" else "sparse"
                cpu.setdefault(layer, {})
                cpu[layer][k] = min(cpu[layer].get(k, math.inf), float(b["real_time"]))
        report = analyse(runs, mem, logic, params, a.mem_config, a.fmax_mhz, cpu, a.cpu_watts)
        report["width_study_nj"] = width_study(runs, mem, a.mem_config)
    except InputError as e:
        print(f"eie_energy: {e}", file=sys.stderr)
        return 1
    except (KeyError, TypeError, ValueError, AttributeError) as e:  # a field of the wrong kind
        print(f"eie_energy: malformed input: {type(e).__name__} {e}", file=sys.stderr)
        return 1
    main_t, block_t, cpu_t, saving_t = format_report(report, a.cpu_watts)
    sections = [("main", "Energy per inference at 45 nm (memories: %s, %d PEs, FIFO %d)" %
                 (a.mem_config, a.num_pe, a.fifo_depth), main_t),
                ("blocks", "By block (nJ)", block_t)]
    if a.table2_run in report["runs"]:
        sections.append(("table2", "Per PE at 800 MHz beside EIE Table II",
                         pe_power_table(report, a.table2_run)))
    if cpu_t:
        sections.append(("cpu", f"CPU baselines at {a.cpu_watts:g} W (stated, not measured)",
                         cpu_t))
    sections.append(("read_once", "Sparse-matrix words read once, not once per entry (per "
                     "inference)", saving_t))
    w_rows = [[n] + [f"{v:.1f}" for v in ws.values()] for n, ws in report["width_study_nj"].items()]
    if w_rows:
        widths = list(next(iter(report["width_study_nj"].values())))
        sections.append(("width", "Sparse-matrix read energy by SRAM width (same capacity)",
                         table(["run (spmat read nJ)"] + [f"{w} bit" for w in widths], w_rows)))
    print("\n".join(f"{title}\n{t[0]}" for _, title, t in sections), end="")
    try:
        if a.out:
            os.makedirs(a.out, exist_ok=True)
            write_atomic(os.path.join(a.out, "energy.json"), json.dumps(report, indent=1))
            write_atomic(os.path.join(a.out, "energy.md"),
                         "\n".join(f"{title}\n\n{t[1]}" for _, title, t in sections))
        if a.doc:
            update_doc(a.doc, {f"{a.mem_config}.{name}": t[1] for name, _, t in sections})
        if a.plot:
            plot(report, a.plot)
    except (OSError, InputError) as e:
        print(f"eie_energy: {e}", file=sys.stderr)
        return 1
    return 0


def update_doc(path, tables):
    """Replaces each table between <!-- BEGIN energy:KEY --> and <!-- END energy:KEY --> in a
    Markdown file (docs/energy.md) with the one just computed; keys the file does not mark are
    left out. Written atomically."""
    with open(path) as f:
        text = f.read()
    for key, md in tables.items():
        text = replace_marked(text, f"energy:{key}", md) or text
    write_atomic(path, text)


if __name__ == "__main__":
    sys.exit(main())
