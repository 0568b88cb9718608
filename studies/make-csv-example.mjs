/**
 * Writes studies/csv-example.csv, the data of studies/csv-example.json: 600 seeded rows of
 * six features, a regression target `y` (a smooth function of the features plus noise) and a
 * classification target `label` (three classes by the sign pattern of two projections).
 * Run: node studies/make-csv-example.mjs
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** mulberry32: a small seeded generator, enough for example data. */
function generator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = generator(20240601);
const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const rows = ['f0,f1,f2,f3,f4,f5,y,label'];
for (let i = 0; i < 600; i++) {
  const f = Array.from({ length: 6 }, normal);
  const y = Math.sin(f[0]) + 0.5 * f[1] * f[2] - 0.3 * f[3] + 0.1 * normal();
  const a = f[0] + f[4];
  const b = f[1] - f[5];
  const label = a > 0 ? (b > 0 ? 0 : 1) : 2;
  rows.push([...f.map((v) => v.toFixed(4)), y.toFixed(4), label].join(','));
}
const out = fileURLToPath(new URL('./csv-example.csv', import.meta.url));
writeFileSync(out, `${rows.join('\n')}\n`);
console.log(`wrote ${rows.length - 1} rows to ${out}`);
