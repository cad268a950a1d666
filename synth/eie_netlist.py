#!/usr/bin/env python3
"""The gate-level netlist that static timing reads, made simulable: the flattened Yosys netlist of
eie_top on the OSU 0.18 um cells (synth/eie_timing.ys) and SystemVerilog models of those cells,
generated from the liberty's own `function`, `ff` and `latch` statements (the vendor Verilog
models use UDPs, which Verilator does not take). The eie_ram macros stay rtl/eie_ram.sv. The test
bench then runs on the netlist exactly as on the RTL (tb/CMakeLists.txt, eie_sim_gate), so logic
that Yosys dropped or changed shows as a mismatch with the golden model.

Usage: synth/eie_netlist.py --out DIR [--params NAME=VALUE ...]
Writes DIR/netlist.v and DIR/cells.sv. Exit status 1 if synthesis fails, 2 on bad arguments.
"""

import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eie_synth import LIBERTY, RTL_DEFAULTS, SynthError  # noqa: E402
from eie_timing import synthesize  # noqa: E402


def liberty_expr(function):
    """Liberty boolean syntax (juxtaposition or * = AND, + = OR, ^ = XOR, ! = NOT) in Verilog."""
    tokens = re.findall(r"[A-Za-z_]\w*|[()!+^*|&]", function)
    out, prev = [], None
    for t in tokens:
        operand_start = t == "(" or t == "!" or re.match(r"\w", t)
        if operand_start and prev is not None and (prev == ")" or re.match(r"\w", prev)):
            out.append("&")
        out.append({"!": "~", "+": "|", "*": "&"}.get(t, t))
        prev = t
    # Liberty binds ^ tighter than AND and OR, Verilog looser: refuse an unparenthesised mix
    # rather than translate it into a different function.
    ops = [set()]
    for t in out:
        if t == "(":
            ops.append(set())
        elif t == ")":
            ops.pop()
        elif t in "&|^":
            ops[-1].add(t)
        if "^" in ops[-1] and ops[-1] & {"&", "|"}:
            raise SynthError(f"liberty function {function!r}: ^ beside AND/OR without parentheses")
    return " ".join(out)


def cell_models(liberty_text):
    """SystemVerilog modules for every combinational cell, flop and latch of the liberty."""
    models = []
    for m in re.finditer(r"\n\s*cell\s*\((\w+)\)\s*\{", liberty_text):
        name = m.group(1)
        start = m.end()
        depth, i = 1, start
        while depth:
            depth += {"{": 1, "}": -1}.get(liberty_text[i], 0)
            i += 1
        body = liberty_text[start:i]
        pins = re.findall(r"\bpin\s*\((\w+)\)\s*\{(.*?)\n\s*\}", body, flags=re.S)
        inputs = [p for p, b in pins if re.search(r"direction\s*:\s*input", b)]
        outputs = [(p, re.search(r'function\s*:\s*"([^"]*)"', b)) for p, b in pins
                   if re.search(r"direction\s*:\s*output", b)]
        if "three_state" in body:
            continue  # tri-state buffers: not used by the flow
        ports = ", ".join(inputs + [p for p, _ in outputs])
        lines = [f"module {name} ({ports});"]
        lines += [f"  input wire {p};" for p in inputs]
        ff = re.search(r"\bff\s*\((\w+),\s*(\w+)\)\s*\{(.*?)\}", body, flags=re.S)
        latch = re.search(r"\blatch\s*\((\w+),\s*(\w+)\)\s*\{(.*?)\}", body, flags=re.S)
        if ff or latch:
            g = ff or latch
            iq = g.group(1)

            def attr(key, text=g.group(3)):
                a = re.search(key + r'\s*:\s*"([^"]*)"', text)
                return a.group(1) if a else None

            lines += [f"  output wire {p};" for p, _ in outputs]
            lines.append(f"  reg {iq};")
            clear, preset = attr("clear"), attr("preset")
            if ff:
                clk = attr("clocked_on")
                edge = "negedge" if clk.startswith("(!") else "posedge"
                clk_pin = re.search(r"\w+", clk).group(0)
                sens = [f"{edge} {clk_pin}"]
                # Active-low clear and preset ("(!R)"): asynchronous, clear first.
                for ctl in (clear, preset):
                    if ctl:
                        sens.append(("negedge " if ctl.startswith("(!") else "posedge ") +
                                    re.search(r"\w+", ctl).group(0))
                lines.append(f"  always @({' or '.join(sens)})")
                cond = []
                if clear:
                    cond.append(f"    if ({liberty_expr(clear)}) {iq} <= 1'b0;")
                if preset:
                    cond.append(f"    {'else ' if clear else ''}if ({liberty_expr(preset)}) "
                                f"{iq} <= 1'b1;")
                nxt = f"{iq} <= {liberty_expr(attr('next_state'))};"
                lines += cond + [f"    {'else ' if cond else ''}{nxt}"]
            else:
                lines.append(f"  always @* if ({liberty_expr(attr('enable'))}) "
                             f"{iq} = {liberty_expr(attr('data_in'))};")
            for p, f in outputs:
                lines.append(f"  assign {p} = {liberty_expr(f.group(1)) if f else iq};")
        else:
            lines += [f"  output wire {p};" for p, _ in outputs]
            for p, f in outputs:
                if f is None:
                    raise SynthError(f"liberty cell {name}: output {p} has no function")
                lines.append(f"  assign {p} = {liberty_expr(f.group(1))};")
        lines.append("endmodule")
        models.append("\n".join(lines))
    return ("// Generated by synth/eie_netlist.py from " + LIBERTY +
            ": simulation models of the cells.\n/* verilator lint_off DECLFILENAME */\n"
            "/* verilator lint_off UNUSEDSIGNAL */\n" + "\n\n".join(models) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--params", nargs="*", default=[], metavar="NAME=VALUE")
    args = ap.parse_args()
    try:
        params = {k: int(v) for k, v in (a.split("=", 1) for a in args.params)}
    except ValueError:
        print("eie_netlist: --params takes NAME=INTEGER", file=sys.stderr)
        return 2
    if set(params) - set(RTL_DEFAULTS):
        print(f"eie_netlist: unknown parameter(s) {sorted(set(params) - set(RTL_DEFAULTS))}",
              file=sys.stderr)
        return 2
    try:
        synthesize(params, args.out)
        open(os.path.join(args.out, "cells.sv"), "w").write(cell_models(open(LIBERTY).read()))
    except SynthError as e:
        print(f"eie_netlist: {e}", file=sys.stderr)
        return 1
    print(f"eie_netlist: {args.out}/netlist.v and cells.sv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
