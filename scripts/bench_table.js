// Builds the benchmark table from eie_sim JSON reports (scripts/bench.sh writes them):
// per layer and variant, RTL cycles for the layer (descriptor load to the end of its drain), time at
// 800 MHz, the interleaving bound (the busiest PE's issued entries: padding included, except the
// padding E steps over, docs/hardware.md section 6), the ideal (all issued entries / 64),
// load-balance efficiency (ideal / cycles), and the paper's EIE times.
// With DIR/LAYER.VARIANT.hold0.json (the same run without hold slots), a table of what the
// slots save. Also reads DIR/speed.json (bench.sh's simulation-speed run) when present, DIR/cpu.json, and
// the static-timing summary (`make timing`, synth/reports/timing/summary.json) for the time per
// layer at the 64-PE netlist's measured fmax, at 0.18 um and scaled to 45 nm (docs/timing.md).
// Usage: node scripts/bench_table.js DIR LAYER... [--timing SUMMARY.json]
'use strict';
const fs = require('fs');
const path = require('path');
const args = process.argv.slice(2);
const timingAt = args.indexOf('--timing');
const timingFile = timingAt === -1 ? null : args.splice(timingAt, 2)[1];
const [dir, ...layers] = args;
const paper = {  // EIE Table IV, microseconds at 800 MHz, 64 PEs: [theoretical, actual]
  'Alex-6': [28.1, 30.3], 'Alex-7': [11.7, 12.2], 'Alex-8': [8.9, 9.9],
  'VGG-6': [28.1, 34.4], 'VGG-7': [7.9, 8.7], 'VGG-8': [7.3, 8.4],
  'NT-We': [5.2, 8.0], 'NT-Wd': [13.0, 13.9], 'NT-LSTM': [6.5, 7.5],
};
// The EIE authors' published C++ cycle simulator on the same matrices, activations and 64-PE /
// FIFO-8 configuration (uniform variant, seed 1), its stop check fixed to wait for every FIFO and
// PE: measured once outside this project (issue 15) and kept here as reference figures.
const authors = {
  'Alex-6': 22912, 'Alex-7': 10176, 'Alex-8': 6769, 'VGG-6': 19825, 'VGG-7': 6566,
  'VGG-8': 6714, 'NT-We': 6047, 'NT-Wd': 10665, 'NT-LSTM': 5362,
};
// CPU baselines (eie_cpu_baselines' Google Benchmark JSON), microseconds per inference.
const cpu = {};
const cpuFile = path.join(dir, 'cpu.json');
if (fs.existsSync(cpuFile)) {
  for (const b of JSON.parse(fs.readFileSync(cpuFile, 'utf8')).benchmarks) {
    const [kind, layer] = b.name.split('/');
    (cpu[layer] = cpu[layer] || {})[kind] = b.real_time;  // in us (the benchmarks' unit)
  }
}
const rows = [];
for (const layer of layers) {
  for (const variant of ['uniform', 'skewed', 'uniform+balanced', 'skewed+balanced']) {
    const j = JSON.parse(fs.readFileSync(path.join(dir, `${layer}.${variant}.json`), 'utf8'));
    const pes = j.config.active_pe;
    const cycles = j.runs[0].layer_cycles[0];
    const total = j.work_total_entries[0];
    const busiest = j.work_busiest_pe_entries[0];
    const ideal = total / pes;
    // Broadcast floor (golden model, eie/activity.h): one LNZD cycle per non-zero activation and
    // per all-zero group; absent in reports from before the activity counters.
    const predicted = j.activity ? j.activity.layers[0].predicted : null;
    const floor = predicted ? predicted.broadcast_floor / j.inferences : null;
    // Where the layer's cycles go: before its first broadcast (the fixed per-layer cost), the
    // broadcast phase (first to last broadcast, FIFO stalls included) and the drain after it.
    const lead = j.runs[0].layer_lead_cycles ? j.runs[0].layer_lead_cycles[0] : null;
    const hold0File = path.join(dir, `${layer}.${variant}.hold0.json`);
    const hold0 = fs.existsSync(hold0File) ? JSON.parse(fs.readFileSync(hold0File, 'utf8')) : null;
    const drain = j.runs[0].layer_drain_cycles ? j.runs[0].layer_drain_cycles[0] : null;
    rows.push({
      layer, variant, cycles, us: cycles / 800, bound: busiest, ideal, broadcast_floor: floor,
      hold_slots: j.config.hold_limit === undefined ? null : j.config.hold_limit,
      cycles_no_hold: hold0 ? hold0.runs[0].layer_cycles[0] : null,
      fixed_cycles: lead, drain_cycles: drain,
      broadcast_phase_cycles: lead === null ? null : cycles - lead - drain,
      authors_model_cycles: variant === 'uniform' ? authors[layer] : null,
      efficiency: ideal / cycles, bound_efficiency: ideal / busiest,
      paper_theoretical_cycles: paper[layer][0] * 800, paper_actual_cycles: paper[layer][1] * 800,
      paper_efficiency: paper[layer][0] / paper[layer][1],
      at_or_below_paper: cycles <= paper[layer][1] * 800,
    });
  }
}
const f = (x, d = 0) => x.toFixed(d);
// A table as aligned text (the first `left` columns left-aligned) and as Markdown.
function table(head, lines, left) {
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (l) => l.map((c, i) => (i < left ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return {
    text: [fmt(head), ...lines.map(fmt)].join('\n') + '\n',
    md: ['| ' + head.join(' | ') + ' |', '|' + head.map(() => '---').join('|') + '|',
         ...lines.map((l) => '| ' + l.join(' | ') + ' |')].join('\n') + '\n',
  };
}
const uniform = (layer) => rows.find((r) => r.layer === layer && r.variant === 'uniform');
const main = table(
  ['layer', 'variant', 'RTL cycles', 'RTL us', 'bound (busiest PE)', 'ideal (/64)', 'efficiency',
   'EIE theor. cycles', 'EIE actual cycles', 'EIE eff.', '<= EIE'],
  rows.map((r) => [r.layer, r.variant, f(r.cycles), f(r.us, 2), f(r.bound), f(r.ideal, 1),
                   f(r.efficiency, 3), f(r.paper_theoretical_cycles), f(r.paper_actual_cycles),
                   f(r.paper_efficiency, 2), r.at_or_below_paper ? 'yes' : 'no']), 2);
fs.writeFileSync(path.join(dir, 'bench.md'), main.md);
process.stdout.write(main.text);
// The two floors of a layer's compute: the busiest PE's entries and the LNZD's broadcasts.
if (rows.every((r) => r.broadcast_floor !== null)) {
  const floorTable = table(
    ['layer', 'RTL cycles', 'busiest PE (entries)', 'broadcast floor', 'floor / cycles', 'binds'],
    layers.map((layer) => {
      const r = uniform(layer);
      return [layer, f(r.cycles), f(r.bound), f(r.broadcast_floor), f(r.broadcast_floor / r.cycles, 3),
              r.broadcast_floor > r.bound ? 'broadcast' : 'busiest PE'];
    }), 1);
  process.stdout.write('\nFloors of the uniform layers: the busiest PE\'s entries and the ' +
                       'broadcast floor (one LNZD cycle per non-zero activation and per ' +
                       'all-zero group of 64)\n' + floorTable.text);
  fs.writeFileSync(path.join(dir, 'floor.md'), floorTable.md);
}
// Cycle breakdown against the two bounds (one entry per PE per cycle, one broadcast per cycle).
if (rows.every((r) => r.fixed_cycles !== null && r.broadcast_floor !== null)) {
  const breakdown = table(
    ['layer', 'variant', 'RTL cycles', 'fixed', 'broadcast phase', 'drain', 'bound', 'over bound',
     'efficiency', "authors' model", '<= authors'],
    rows.map((r) => {
      r.bound_max = Math.max(r.bound, r.broadcast_floor);
      r.over_bound = r.cycles / r.bound_max - 1;
      const a = r.authors_model_cycles;
      return [r.layer, r.variant, f(r.cycles), f(r.fixed_cycles), f(r.broadcast_phase_cycles),
              f(r.drain_cycles), f(r.bound_max), f(100 * r.over_bound, 1) + '%', f(r.efficiency, 3),
              a ? f(a) : '-', a ? (r.cycles <= a ? 'yes' : 'no') : '-'];
    }), 2);
  process.stdout.write('\nWhere the cycles go: fixed (before the first broadcast), broadcast phase, ' +
                       'drain; bound = max(busiest PE, broadcast floor)\n' + breakdown.text);
  fs.writeFileSync(path.join(dir, 'breakdown.md'), breakdown.md);
}
// What the broadcast hold slots save: the same runs with none (the paper's broadcast).
if (rows.every((r) => r.cycles_no_hold !== null)) {
  const holdTable = table(
    ['layer', 'variant', 'no slots: cycles', 'efficiency', `${rows[0].hold_slots} slots: cycles`,
     'efficiency', 'saved'],
    rows.map((r) => [r.layer, r.variant, f(r.cycles_no_hold), f(r.ideal / r.cycles_no_hold, 3),
                     f(r.cycles), f(r.efficiency, 3),
                     f(100 * (1 - r.cycles / r.cycles_no_hold), 1) + '%']), 2);
  process.stdout.write('\nBroadcast hold slots: the same runs with none (the paper\'s broadcast, ' +
                       'which stalls while any FIFO is full)\n' + holdTable.text);
  fs.writeFileSync(path.join(dir, 'hold.md'), holdTable.md);
}
// bench.sh's speed run (absent in result folders from before it existed).
const speedFile = path.join(dir, 'speed.json');
const speed = fs.existsSync(speedFile) ? JSON.parse(fs.readFileSync(speedFile)) : null;
if (Object.keys(cpu).length) {
  const cpuTable = table(
    ['layer', 'dense GEMV us', 'CSR SpMV us', 'golden us', 'RTL us (uniform)', 'GEMV / RTL',
     'CSR / RTL', 'golden / CSR'],
    layers.map((layer) => {
      const c = cpu[layer];
      const r = Object.assign(uniform(layer), {cpu_dense_us: c.dense_gemv, cpu_csr_us: c.csr_spmv,
                                               cpu_golden_us: c.golden});
      return [layer, f(c.dense_gemv, 1), f(c.csr_spmv, 1), f(c.golden, 1), f(r.us, 2),
              f(c.dense_gemv / r.us, 0) + 'x', f(c.csr_spmv / r.us, 0) + 'x',
              f(c.golden / c.csr_spmv, 2)];
    }), 1);
  process.stdout.write('\nCPU baselines, batch 1, one thread of this machine, vs the RTL at 800 MHz\n' +
                       cpuTable.text);
  fs.writeFileSync(path.join(dir, 'cpu.md'), cpuTable.md);
}
// Time at the measured clock: the 64-PE configuration of the timing sweep, the one that matches
// the benchmark build's PE count (its memories are the paper's, the benchmark build's are larger).
let clocks = null;
if (timingFile && fs.existsSync(timingFile)) {
  const pe64 = JSON.parse(fs.readFileSync(timingFile, 'utf8')).find((c) => c.params.NumPe === 64);
  if (pe64) clocks = {mhz018: pe64.fmax_mhz, mhz45: 1000 / pe64.critical_45nm_ns, fo4: pe64.critical_fo4};
}
if (clocks) {
  const clockTable = table(
    ['layer', 'RTL cycles', 'us at 800 MHz', `us at ${f(clocks.mhz018)} MHz (0.18 um)`,
     `us at ${f(clocks.mhz45)} MHz (45 nm est.)`, 'EIE actual us'],
    layers.map((layer) => {
      const r = uniform(layer);
      Object.assign(r, {us_fmax_018: r.cycles / clocks.mhz018, us_fmax_45nm_est: r.cycles / clocks.mhz45});
      return [layer, f(r.cycles), f(r.us, 2), f(r.us_fmax_018, 2), f(r.us_fmax_45nm_est, 2),
              f(paper[layer][1], 1)];
    }), 1);
  process.stdout.write(`\nTime per layer (uniform) at the measured clock of the 64-PE netlist: ` +
                       `${f(clocks.fo4, 1)} FO4 critical path (${timingFile})\n` + clockTable.text);
  fs.writeFileSync(path.join(dir, 'clock.md'), clockTable.md);
} else {
  process.stdout.write(`\nNo static-timing summary${timingFile ? ` at ${timingFile}` : ''}: ` +
                       '`make timing` writes it, and this table then gives time at the measured fmax too.\n');
}
fs.writeFileSync(path.join(dir, 'bench.json'), JSON.stringify(rows, null, 2) + '\n');
console.log(`\nefficiency = ideal / RTL cycles; RTL cycles count the layer from its descriptor load ` +
            `to the end of write-back.` +
            (speed ? `\nsimulation speed: ${f(speed.cycles_per_second)} cycles/s (64-PE benchmark ` +
                     `build, ${speed.inferences} inferences of the speed run, testbench checks ` +
                     `included).` : '') + ` JSON: ${path.join(dir, 'bench.json')}`);
