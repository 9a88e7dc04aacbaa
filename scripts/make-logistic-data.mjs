// Regenerates assets/logistic-50.csv: 50 points, 2 features, 2 classes, for the logistic
// regression notebook (in the spirit of seed 001's Example 5, whose own data are not published).
// Class 1 centred near (1.6, -2.6), class 0 near (0.6, -1.0), overlapping (so the maximum-likelihood fit exists); a seeded LCG makes it reproducible.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./paths.mjs";

let s = 20221;
const rand = () => {
  s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
  return s / 4294967296;
};
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const rows = ["x1,x2,y"];
for (let i = 0; i < 50; i++) {
  const y = i % 2 === 0 ? 1 : 0;
  const [cx, cy] = y ? [1.6, -2.6] : [0.6, -1.0];
  rows.push(`${(cx + 0.9 * normal()).toFixed(4)},${(cy + 1.1 * normal()).toFixed(4)},${y}`);
}
writeFileSync(join(ROOT, "assets", "logistic-50.csv"), rows.join("\n") + "\n");
