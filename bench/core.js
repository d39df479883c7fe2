/**
 * The core benchmark (issue 3, "Benchmark"): what personalisation costs per request, and whether
 * that cost stays put as the content library grows.
 *
 * 1. Rule evaluation: ns per evaluation of a compiled segment rule (simple, medium, deep) on
 *    rotating realistic contexts. Target: 1,000 compiled evaluations under 1 ms.
 * 2. Resolution: one page of 10 slots × 5 candidates resolved by the delivery service of the
 *    real playground Strapi, warm (compiled page cached) and cold (cache cleared before each
 *    call), as unreferenced segments grow 10 → 10,000 and chunks 100 → 100,000. Target: flat
 *    within 20% from the smallest library to the largest.
 *
 * Prints the figures and records them in bench/RESULTS.md, section "Core: rules and
 * resolution". Never asserts a timing: figures depend on the machine, so they are recorded with
 * the machine they came from.
 *
 *   node bench/core.js            the full run, recorded (about a minute on 2 cores)
 *   node bench/core.js --quick    a smoke run on small sizes, printed, not recorded
 *   node bench/core.js --rules    the rule evaluation part only, printed, not recorded
 *
 * Needs the plugin built (`npm run build`): Strapi loads it from dist/. The rules part runs the
 * TypeScript core straight from server/src/core.
 */
const path = require('path');

const {
  ROOT,
  commandLines,
  fmt,
  load,
  loadCoreSources,
  machine,
  msSince,
  recordSection,
  staleBuild,
  timestamp,
} = require('./lib/measure');
const { benchRules } = require('./lib/rules');
const { benchResolution } = require('./lib/resolution');

const SECTION = 'Core: rules and resolution';
const RESULTS = path.join(__dirname, 'RESULTS.md');

function markdown({ host, date, commands, runtimeS, loads, rules, resolution }) {
  return `
- Recorded: ${date}, in ${fmt(runtimeS / 60, 1)} min
- Command: ${commands.map((c) => `\`${c}\``).join(', that is ')}
- Machine: ${host.nproc} CPUs (\`nproc\`), ${host.cpu}, ${host.memory} RAM, Node.js ${host.node},
  ${host.os}
- Load average (1 min): ${fmt(loads[0], 2)} at the start, ${fmt(loads[1], 2)} at the end. This run
  keeps about one CPU busy; more than ${host.nproc} means other work competed for the CPUs, which
  shows first in the p99 columns.

### Rule evaluation

\`compileRule\` from \`server/src/core/rules.ts\`, compiled once with the context's fields as
segments are; each batch evaluates 1,000 times over 8 rotating visitor contexts (each with a
50-event behaviour log), after ${rules.settings.warmup.toLocaleString('en-US')} warm-up
evaluations; ${rules.settings.batches.toLocaleString('en-US')} batches per rule, timed with
\`process.hrtime.bigint()\`. "ns / evaluation" is the median batch divided by 1,000.

${rules.markdown}

${rules.verdict}

### Resolution as the library grows

The playground Strapi (SQLite, \`playground/.tmp/bench-core.db\`, fresh per run, deleted after)
booted in process; \`strapi.plugin('mosaic').service('delivery').asset({ slug, format: 'html',
explain: false, … })\` on one page of 10 slots × 5 candidates (3-paragraph chunks targeted by 4
personas and 10 segments), over 8 rotating anonymous requests (persona, UTM, referrer, device,
country, time zone). Around it, a library of segments and chunks the page does not reference
(filler chunks carry a persona, a tag and mostly one or two filler segments; each is a draft and
a published row). At each size, after an untimed warm-up, ${resolution.calls.rounds} rounds of
${resolution.calls.coldCalls} cold calls then ${resolution.calls.warmCalls.toLocaleString('en-US')} warm calls. Warm: the compiled page
cached. Cold: before each call the compiled cache and the compiled rules are cleared, as any
content change clears them, so each call reloads the page, its chunks, personas and locales from
the database and recompiles its segments. "mean" is the median of the rounds' means (load from
elsewhere on the machine lands in one round); p99 is over every call of every round.

${resolution.markdown}

The library sizes count only what the page does not reference; its own 4 personas, 5 tags, 10
segments and 50 chunks come on top. "distinct variants" counts the different answers (variant
keys) the 8 rotating requests got: the page really is personalised while it is measured.

${resolution.verdict}

How the library was written: ${resolution.notes.join('; ')}; the filler through batched knex
inserts (500 rows a statement, one transaction per size) with the rows Strapi 5 writes itself
(tables, link tables and cuid2 document ids from Strapi's metadata), each size checked by reading
a filler chunk back through the document service. "insert (s)" is the time to grow to that size.
`;
}

async function main() {
  const args = new Set(process.argv.slice(2));
  const quick = args.has('--quick');
  const rulesOnly = args.has('--rules');
  const record = !quick && !rulesOnly;
  const started = process.hrtime.bigint();
  const host = machine();
  const loadAtStart = load();
  const log = (line) => console.log(line);

  log(`Mosaic core benchmark: ${host.nproc} CPUs, ${host.cpu}, Node.js ${host.node}`);
  log(`  load average ${fmt(loadAtStart, 2)}`);
  const stale = staleBuild();
  if (stale.length && !rulesOnly) {
    log(
      `  warning: dist/ is older than ${stale.length} source file(s), e.g. ${stale[0]}: run 'npm run build' to measure the working tree`
    );
  }

  log('\nRule evaluation');
  const rules = benchRules({ core: loadCoreSources(), quick });
  log(rules.markdown);
  log(rules.verdict);
  if (rulesOnly) return;

  log('\nResolution as the library grows');
  const resolution = await benchResolution({ quick, log });
  log(resolution.markdown);
  // Two small sizes and few calls: enough to see it runs, too few to judge flatness.
  log(quick ? 'Quick run: no verdict; run without --quick for figures.' : resolution.verdict);

  const runtimeS = msSince(started) / 1000;
  log(`\nDone in ${fmt(runtimeS / 60, 1)} min.`);
  if (!record) return;
  const commands = commandLines();
  const date = timestamp();
  await recordSection(
    RESULTS,
    SECTION,
    markdown({ host, date, commands, runtimeS, loads: [loadAtStart, load()], rules, resolution })
  );
  log(`Recorded in ${path.relative(ROOT, RESULTS)}.`);
}

main().then(
  // Strapi leaves handles open (database pool, timers) even after destroy.
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  }
);
