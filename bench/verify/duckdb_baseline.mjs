// The DuckDB baseline of the verification benchmark (bench/verify/run.sh).
//
//   node duckdb_baseline.mjs DATA_DIR DOUDI_OUT.csv [THREADS]
//
// 1. Loads the same CSV files into DuckDB tables (not timed as the check): person key = hash(id_number), money in
//    fen, months as year*12+month-1 — the same representation the engine works on.
// 2. Runs the same checks as the engine (docs/verify-engine.md) as one SQL statement over the loaded tables:
//    timed as `check_s`.
// 3. Compares every household's decision, flags and figures with doudi's OUT.csv, and prints one JSON line.
// Policy: the benchmark's policy.toml (one city-wide entry per area: 780 / 600 yuan, 12 months, band 1.5,
// 24 months of assets, motorcycles/disability vehicles/e-bikes exempt, one home, businesses under 100,000 yuan
// capital reviewed). As-of date 2025-07-15: income period 2024-07..2025-06.
import { DuckDBInstance } from '@duckdb/node-api';
import { performance } from 'node:perf_hooks';

const [dataDir, doudiOut, threads = '2'] = process.argv.slice(2);
if (!dataDir || !doudiOut) {
  console.error('usage: node duckdb_baseline.mjs DATA_DIR DOUDI_OUT.csv [THREADS]');
  process.exit(1);
}
const AS_OF = "DATE '2025-07-15'";
const FIRST = 2024 * 12 + 6;
const LAST = 2025 * 12 + 5;

const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const db = await instance.connect();
const csv = (name) => `read_csv('${dataDir}/${name}', header = true, all_varchar = true)`;
const feed = (name) => csv(`feeds/${name}.csv`);
const fen = (col) => `CAST(CAST(${col} AS DECIMAL(18,2)) * 100 AS BIGINT)`;
const month = (col) => `(CAST(substr(${col}, 1, 4) AS INTEGER) * 12 + CAST(substr(${col}, 6, 2) AS INTEGER) - 1)`;

let t = performance.now();
const load = [
  `CREATE TABLE households AS SELECT household_id AS hid, county_code, urban_rural AS area,
     hash(id_number) AS pk, CAST(counted AS INTEGER) AS counted FROM ${csv('households.csv')}`,
  `CREATE TABLE hukou AS SELECT hash(id_number) AS pk, status = 'dead' AS dead FROM ${feed('hukou')}`,
  `CREATE TABLE si AS SELECT hash(id_number) AS pk, kind, ${month('month')} AS month, ${fen('amount_yuan')} AS amount
     FROM ${feed('social_insurance')}`,
  `CREATE TABLE tax AS SELECT hash(id_number) AS pk, income_type AS kind, ${month('month')} AS month,
     ${fen('amount_yuan')} AS amount FROM ${feed('tax')}`,
  `CREATE TABLE pf AS SELECT hash(id_number) AS pk, ${month('month')} AS month, ${fen('balance_yuan')} AS balance
     FROM ${feed('provident_fund')}`,
  `CREATE TABLE bank AS SELECT hash(id_number) AS pk, bank AS acct, ${fen('balance_yuan')} AS amount,
     CAST(as_of AS DATE) AS as_of FROM ${feed('bank')}`,
  `CREATE TABLE ins AS SELECT hash(id_number) AS pk, product AS acct, ${fen('cash_value_yuan')} AS amount,
     CAST(as_of AS DATE) AS as_of FROM ${feed('insurance')}`,
  `CREATE TABLE sec AS SELECT hash(id_number) AS pk, ${fen('market_value_yuan')} AS amount,
     CAST(as_of AS DATE) AS as_of FROM ${feed('securities')}`,
  `CREATE TABLE vehicle AS SELECT hash(id_number) AS pk, vehicle_type AS type FROM ${feed('vehicle')}`,
  `CREATE TABLE re AS SELECT hash(id_number) AS pk, property_type AS type FROM ${feed('real_estate')}`,
  `CREATE TABLE business AS SELECT hash(id_number) AS pk, role, ${fen('registered_capital_yuan')} AS capital, status
     FROM ${feed('business')}`,
  `CREATE TABLE civil AS SELECT hash(id_number) AS pk, record FROM ${feed('civil')}`,
  `CREATE TABLE policy AS SELECT * FROM (VALUES ('urban', 78000), ('rural', 60000)) p(area, standard)`,
];
for (const sql of load) await db.run(sql);
const loadSeconds = (performance.now() - t) / 1000;

const check = `
CREATE TABLE result AS
WITH cm AS (SELECT hid, pk FROM households WHERE counted = 1),
siw AS (SELECT pk, month, sum(amount) AS a FROM si WHERE kind = 'wage' AND month BETWEEN ${FIRST} AND ${LAST} GROUP BY ALL),
txw AS (SELECT pk, month, sum(amount) AS a FROM tax WHERE kind = 'wage' AND month BETWEEN ${FIRST} AND ${LAST} GROUP BY ALL),
wage AS (SELECT coalesce(s.pk, t.pk) AS pk, sum(greatest(coalesce(s.a, 0), coalesce(t.a, 0))) AS a
         FROM siw s FULL OUTER JOIN txw t ON s.pk = t.pk AND s.month = t.month GROUP BY 1),
inc AS (SELECT pk, sum(a) AS a FROM (
          SELECT pk, a FROM wage
          UNION ALL SELECT pk, amount FROM si WHERE kind <> 'wage' AND month BETWEEN ${FIRST} AND ${LAST}
          UNION ALL SELECT pk, amount FROM tax WHERE kind <> 'wage' AND month BETWEEN ${FIRST} AND ${LAST}) GROUP BY pk),
bk AS (SELECT pk, amount FROM (SELECT pk, amount, as_of, max(as_of) OVER (PARTITION BY pk, acct) AS mx
                               FROM bank WHERE as_of <= ${AS_OF}) WHERE as_of = mx),
ik AS (SELECT pk, amount FROM (SELECT pk, amount, as_of, max(as_of) OVER (PARTITION BY pk, acct) AS mx
                               FROM ins WHERE as_of <= ${AS_OF}) WHERE as_of = mx),
sk AS (SELECT pk, amount FROM (SELECT pk, amount, as_of, max(as_of) OVER (PARTITION BY pk) AS mx
                               FROM sec WHERE as_of <= ${AS_OF}) WHERE as_of = mx),
fa AS (SELECT pk, sum(amount) AS a FROM (SELECT * FROM bk UNION ALL SELECT * FROM ik UNION ALL SELECT * FROM sk) GROUP BY pk),
hk AS (SELECT pk, bool_or(dead) AS dead FROM hukou GROUP BY pk),
cd AS (SELECT DISTINCT pk FROM civil WHERE record = 'death'),
veh AS (SELECT pk, count(*) AS n FROM vehicle WHERE type NOT IN ('motorcycle', 'disability', 'ebike') GROUP BY pk),
re2 AS (SELECT pk, count(*) FILTER (WHERE type = 'residential') AS homes,
               count(*) FILTER (WHERE type <> 'residential') AS nonres FROM re GROUP BY pk),
bus AS (SELECT pk, count(*) AS n, count(*) FILTER (WHERE capital >= 10000000) AS nfail FROM business
        WHERE status = 'active' AND role IN ('legal_rep', 'shareholder') GROUP BY pk),
per AS (SELECT cm.hid, coalesce(inc.a, 0) AS inc, coalesce(fa.a, 0) AS fa, CASE WHEN hk.pk IS NULL THEN 1 ELSE 0 END AS unmatched,
               CASE WHEN coalesce(hk.dead, false) OR cd.pk IS NOT NULL THEN 1 ELSE 0 END AS dead,
               coalesce(veh.n, 0) AS veh, coalesce(re2.homes, 0) AS homes, coalesce(re2.nonres, 0) AS nonres,
               coalesce(bus.n, 0) AS bus, coalesce(bus.nfail, 0) AS busfail
        FROM cm LEFT JOIN inc ON inc.pk = cm.pk LEFT JOIN fa ON fa.pk = cm.pk LEFT JOIN hk ON hk.pk = cm.pk
             LEFT JOIN cd ON cd.pk = cm.pk LEFT JOIN veh ON veh.pk = cm.pk LEFT JOIN re2 ON re2.pk = cm.pk
             LEFT JOIN bus ON bus.pk = cm.pk),
agg AS (SELECT hid, count(*) AS n, sum(inc) AS inc, sum(fa) AS fa, sum(unmatched) AS unmatched, sum(dead) AS dead,
               sum(veh) AS veh, sum(homes) AS homes, sum(nonres) AS nonres, sum(bus) AS bus, sum(busfail) AS busfail
        FROM per GROUP BY hid),
hh AS (SELECT hid, first(area) AS area FROM households GROUP BY hid),
stale AS (SELECT
   (${AS_OF} - (SELECT last_day(make_date(CAST(max(month) // 12 AS BIGINT), CAST(max(month) % 12 + 1 AS BIGINT), 1)) FROM si)) > 62
   OR (${AS_OF} - (SELECT last_day(make_date(CAST(max(month) // 12 AS BIGINT), CAST(max(month) % 12 + 1 AS BIGINT), 1)) FROM tax)) > 62
   OR (${AS_OF} - (SELECT max(as_of) FROM bank)) > 62 OR (${AS_OF} - (SELECT max(as_of) FROM sec)) > 62
   OR (${AS_OF} - (SELECT max(as_of) FROM ins)) > 62 AS s),
fig AS (SELECT hh.hid, p.standard, coalesce(a.n, 0) AS n, coalesce(a.inc, 0) // 12 AS im, coalesce(a.fa, 0) AS fa,
               coalesce(a.unmatched, 0) AS unmatched, coalesce(a.dead, 0) AS dead, coalesce(a.veh, 0) AS veh,
               coalesce(a.homes, 0) AS homes, coalesce(a.nonres, 0) AS nonres, coalesce(a.bus, 0) AS bus,
               coalesce(a.busfail, 0) AS busfail, (SELECT s FROM stale) AS stale
        FROM hh JOIN policy p ON p.area = hh.area LEFT JOIN agg a ON a.hid = hh.hid),
f2 AS (SELECT *, CASE WHEN n > 0 THEN im // n ELSE 0 END AS pc, CASE WHEN n > 0 THEN fa // n ELSE 0 END AS fapc FROM fig)
SELECT hid, standard, n, im, pc, fa,
  CASE WHEN n = 0 THEN 'review'
       WHEN pc >= standard OR fapc > standard * 24 OR veh > 0 OR homes > 1 OR nonres > 0 OR busfail > 0 THEN 'ineligible'
       WHEN dead > 0 OR unmatched > 0 OR bus > 0 OR stale THEN 'review'
       ELSE 'eligible' END AS decision,
  concat_ws(';',
    CASE WHEN n > 0 AND dead > 0 THEN 'member_dead' END,
    CASE WHEN n > 0 AND unmatched > 0 THEN 'unmatched_member' END,
    CASE WHEN n > 0 AND veh > 0 THEN 'vehicle' END,
    CASE WHEN n > 0 AND bus > 0 THEN 'business' END,
    CASE WHEN n > 0 AND (homes > 1 OR nonres > 0) THEN 'property' END,
    CASE WHEN n > 0 AND fapc > standard * 24 THEN 'assets_over_limit' END,
    CASE WHEN n > 0 AND pc >= standard THEN 'income_over_standard' END,
    CASE WHEN n > 0 AND pc >= standard AND pc < standard * 1500 // 1000 THEN 'income_near_standard' END,
    CASE WHEN stale THEN 'stale_feed' END,
    CASE WHEN n = 0 THEN 'no_counted_member' END) AS flags
FROM f2`;

t = performance.now();
await db.run(check);
const checkSeconds = (performance.now() - t) / 1000;

const cmp = await db.runAndReadAll(`
WITH d AS (SELECT * FROM ${`read_csv('${doudiOut}', header = true, all_varchar = true)`})
SELECT count(*) AS households,
  count(*) FILTER (WHERE d.household_id IS NULL OR r.hid IS NULL) AS missing,
  count(*) FILTER (WHERE d.decision IS DISTINCT FROM r.decision) AS decision_diff,
  count(*) FILTER (WHERE coalesce(d.flags, '') IS DISTINCT FROM r.flags) AS flags_diff,
  count(*) FILTER (WHERE CAST(d.members_counted AS HUGEINT) IS DISTINCT FROM r.n
                      OR CAST(d.income_month_fen AS HUGEINT) IS DISTINCT FROM r.im
                      OR CAST(d.income_per_capita_fen AS HUGEINT) IS DISTINCT FROM r.pc
                      OR CAST(d.financial_assets_fen AS HUGEINT) IS DISTINCT FROM r.fa
                      OR CAST(d.standard_fen AS HUGEINT) IS DISTINCT FROM r.standard) AS figures_diff,
  count(*) FILTER (WHERE r.decision = 'eligible') AS eligible,
  count(*) FILTER (WHERE r.decision = 'ineligible') AS ineligible,
  count(*) FILTER (WHERE r.decision = 'review') AS review
FROM d FULL OUTER JOIN result r ON r.hid = d.household_id`);
const row = cmp.getRowObjectsJson()[0];
const rows = await db.runAndReadAll(`SELECT (SELECT count(*) FROM si) + (SELECT count(*) FROM tax) + (SELECT count(*) FROM pf)
  + (SELECT count(*) FROM bank) + (SELECT count(*) FROM ins) + (SELECT count(*) FROM sec) + (SELECT count(*) FROM vehicle)
  + (SELECT count(*) FROM re) + (SELECT count(*) FROM business) + (SELECT count(*) FROM civil) + (SELECT count(*) FROM hukou) AS n`);
const example = await db.runAndReadAll(`SELECT d.household_id, d.decision, r.decision AS duck_decision, d.flags, r.flags AS duck_flags
  FROM read_csv('${doudiOut}', header = true, all_varchar = true) d JOIN result r ON r.hid = d.household_id
  WHERE d.decision IS DISTINCT FROM r.decision OR coalesce(d.flags, '') IS DISTINCT FROM r.flags LIMIT 3`);
console.log(JSON.stringify({
  duckdb_version: (await db.runAndReadAll('SELECT version() AS v')).getRowObjectsJson()[0].v,
  threads: Number(threads), load_s: loadSeconds, check_s: checkSeconds,
  feed_rows: Number(rows.getRowObjectsJson()[0].n), ...Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])),
  first_differences: example.getRowObjectsJson(),
}));
db.closeSync();
