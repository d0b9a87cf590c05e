/**
 * Prints the generated plan of the start-up benchmark as JSON, for native profiling:
 * `node bench/generate-plan.js 500 > target/plan500.json`, then
 * `cargo run --release --example plan_load -- target/plan500.json`.
 */
import { generatePlan } from './plans.js';

const count = Number(process.argv[2] ?? 500);
process.stdout.write(`${JSON.stringify(generatePlan(count))}\n`);
