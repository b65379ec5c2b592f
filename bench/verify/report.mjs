// Prints the verification benchmark's figures with PASS/MISS (bench/verify/run.sh passes the measurements).
// usage: node report.mjs TIMINGS.json PEAK_KB WALL_S SQLITE_START SQLITE_END DUCK_JSON SQLITE_USER SQLITE_SYS LOADAVG
import { readFileSync } from 'node:fs';

const [timings, peakKb, wall, s0, s1, duckJson, sqUser, sqSys, load] = process.argv.slice(2);
const t = JSON.parse(readFileSync(timings, 'utf8'));
const d = JSON.parse(duckJson);
const peakGb = Number(peakKb) / 1024 / 1024;
const sqliteS = Number(s1) - Number(s0);
const batch = t.index_s + t.run_s;
const v = (ok) => (ok ? 'PASS' : 'MISS');
const n = (x) => Number(x).toLocaleString('en-US');
const f = (x, k = 2) => Number(x).toFixed(k);
console.log(`households ${n(t.households)}, feed rows ${n(t.feed_rows)} (DuckDB loaded ${n(d.feed_rows)}), threads ${d.threads}, DuckDB ${d.duckdb_version}`);
console.log(`doudi batch over loaded data (index ${f(t.index_s)} s + rules ${f(t.run_s)} s): ${f(batch)} s  [≤ 10 s: ${v(batch <= 10)}]`);
console.log(`doudi whole run ${f(wall, 1)} s (households ${f(t.households_s, 1)} s, feed import ${f(t.import_s, 1)} s, write ${f(t.write_s)} s), peak RSS ${f(peakGb)} GB  [≤ 6 GB: ${v(peakGb <= 6)}]`);
console.log(`DuckDB same checks over loaded tables: ${f(d.check_s)} s (its load ${f(d.load_s, 1)} s)  speed-up ${f(d.check_s / batch, 1)}×  [≥ 2×: ${v(d.check_s >= 2 * batch)}]`);
const same = d.missing === 0 && d.decision_diff === 0 && d.flags_diff === 0 && d.figures_diff === 0;
console.log(`identical results: ${n(d.households)} households, ${d.decision_diff} decision / ${d.flags_diff} flag / ${d.figures_diff} figure differences, ${d.missing} missing  [${v(same)}]`);
console.log(`  decisions: eligible ${n(d.eligible)}, ineligible ${n(d.ineligible)}, review ${n(d.review)}`);
if (!same) console.log(`  first differences: ${JSON.stringify(d.first_differences)}`);
console.log(`feed import: doudi ${f(t.import_s, 1)} s (parse, validate, hash, columnar) vs sqlite3 .import ${f(sqliteS, 1)} s  speed-up ${f(sqliteS / t.import_s, 1)}×  [≥ 2×: ${v(sqliteS >= 2 * t.import_s)}]`);
console.log(`  CPU seconds: doudi import ${f(t.feeds_cpu_s, 1)} s, sqlite3 ${f(Number(sqUser) + Number(sqSys), 1)} s; doudi batch ${f(t.batch_cpu_s, 1)} s. Load average at the end: ${load} (a shared machine inflates wall times)`);
