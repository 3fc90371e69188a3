/** Help texts; `mscope help COMMAND` and `COMMAND --help` print the matching entry. */
export const USAGE = `usage: mscope <command> [options]

commands:
  run     run a command with monitors linked to its probes
  attach  trace a running Node.js process until ^C, then detach
  top     a live view of chosen functions' calls, concurrency, wall time and vtime
  blocks  hot and cold blocks of chosen functions (V8 block coverage), per function
  list    list the probes of a command's processes
  demo    run an example program under an example D program
  report  print the per-activity report of an accounting store
  explore serve the Latency Explorer over an accounting store or a running process
  links   list the links of a traced process
  relink  switch a link of a traced process to another binding, live
  bench   measure the probe effect: a command plainly and traced, compared as ministat does
  help    print help for a command

mscope help <command> prints that command's options; mscope --version (-V) the version.
`;

export const COMMAND_USAGE: Record<string, string> = {
  run: `usage: mscope run [-e PROGRAM | -s FILE]… [--monitor FILE]… [-q] [-o FILE] [-x OPT=VAL]… [-f json]
                  [-b direct|shm|message] [--modules GLOB]… [-p PID | -- CMD [ARGS…]]

Runs CMD with the microScope agent loaded into every Node.js process it starts, links the
program's clauses and the monitors to their probes, prints what they report, and exits
with CMD's status (1 for a CMD that succeeded while a monitor failed, or while what was
traced did not all get out: a full disk under -o, the store or the session directory).
^C ends tracing: aggregations are printed and CMD gets the signal.
Without CMD the program runs on its own until it calls exit() or ^C, like dtrace -n.

  -e, --program TEXT a D program (repeatable; concatenated with -s in order)
  -s, --script FILE  a D program file (repeatable)
  --monitor FILE     a TypeScript or JavaScript monitor module (repeatable)
  -x, --option O=V   a D option (docs/LANGUAGE.md, Options): quiet, bufsize, strsize,
                     aggsortkey, aggsortrev, aggzoom, stackframes, zdefs…
  -f, --format json  print records and final aggregations as JSON lines
  -w, --destructive  allow destructive actions
  -q, --quiet        print only what the program prints, no summary
  -Z, --zdefs        a description may match no probes, without a warning
  -F, --flowindent   indent entry and return lines by call depth (-> and <-), as dtrace -F
  -o, --output FILE  append the output to FILE instead of stdout (if a write to it fails,
                     one line says so and the rest goes to stdout)
  -b, --binding B    how monitors are bound to probes: direct, shm or message
  --acct             account every activity (each HTTP request by default): on with
                     --prom/--otlp or when the program uses acct probes
  --store FILE       where accounting records go (with --acct the default is mscope.db;
                     "none" for no store)
  --prom PORT        serve the records as Prometheus metrics on 127.0.0.1:PORT
  --otlp URL         send one span per activity and metrics over OTLP to URL (HTTP, or
                     gRPC with OTEL_EXPORTER_OTLP_PROTOCOL=grpc; without it,
                     OTEL_TRACES_EXPORTER/OTEL_METRICS_EXPORTER=otlp and the
                     OTEL_EXPORTER_OTLP_* variables); spans join incoming traceparents
  --explore          serve the Latency Explorer over the activities as they arrive (a
                     free port on 127.0.0.1, printed); after CMD exits, until ^C
  --functions GLOB   with --explore: kperfmon's view (mscope top's metrics) of the fn
                     functions matching FUNC or MODULE:FUNC (repeatable)
  --port N           with --explore: the port to serve on (default: a free one)
  --modules GLOB     which modules to instrument (repeatable)
  -p, --pid PID      trace the running Node.js process PID instead of CMD: mscope attach PID
`,
  attach: `usage: mscope attach PID [-e PROGRAM | -s FILE]… [--monitor FILE]… [-q] [-o FILE] [-x OPT=VAL]…
                     [-f json] [-b direct|shm|message] [--acct] [--store FILE] [--prom PORT]
                     [--otlp URL] [--explore [--port N] [--functions GLOB]…]

Traces the running Node.js process PID (its main thread), like dtrace -p: the same programs,
bindings and output as mscope run. ^C, SIGTERM or the program's exit() detach: every link
is undone, the providers' hooks removed, and the process runs on as before; when PID exits,
tracing ends. A process started with --import microscope/register is asked through its
control socket; any other must be this user's (or root's) and have no inspector open: its
inspector is opened with SIGUSR1 on 127.0.0.1, used once to load the agent, and closed as
soon as the agent's own control socket is up.

After attach these probes fire: http, net, fs, dns, gc, loop, task, proc, dc, profile-N,
node (calls through a core module's exports), BEGIN, END, tick-N, and fn entry probes and
line:FILE:LINE probes, spliced into the compiled functions by live edit or breakpoints
(docs/ATTACH.md). --acct, --store, --prom, --otlp and --explore switch accounting on in the
process until detach: each HTTP server request from then on is an activity, with its
subsystem times (fs: calls through the fs module's exports). --modules does not apply: it
needs the load-time rewrite.

  Options as for mscope run (mscope help run).
`,
  top: `usage: mscope top [-m GLOB]… [-s METRIC] [-d SECS] [-b] [-n COUNT] (PID | -- CMD [ARGS…])

A live view of the functions matching -m (FUNC or MODULE:FUNC globs of fn probes; all by
default), refreshed every -d seconds (1), as KernInst's kperfmon showed them. Per refresh:
  CALLS       calls that entered in the interval                          (key c)
  INFL        calls in flight now, async ones included                    (key i)
  CONC        mean calls in flight: the ended calls' wall time / interval (key o)
  WALL/CALL   wall time per ended call                                    (key w)
  VTIME       on-CPU time of the ended calls, without time suspended at
              await or yield                                              (key v)
  VTIME/CALL  vtime per ended call                                        (key t)
A metric's key sorts by it; q or ^C quits. With PID, mscope attaches (as mscope attach) and
detaches on quit: there a function shows only CALLS until a call of it returns (one-line
bodies, and every function on Node 24 and 26, have no return point spliced). With
-- CMD, CMD runs traced (stdin and output discarded unless -b) and quitting ends it.

  -m, --match GLOB      functions to show (repeatable)
  -s, --sort METRIC     calls, inflight, conc, wall, vtime or vcall (vtime; calls with PID)
  -d, --delay SECS      seconds between refreshes
  -b, --batch           print each refresh as text (the default when stdout is not a terminal)
  -n, --iterations N    stop after N refreshes
`,
  blocks: `usage: mscope blocks [-m GLOB]… [-d SECS] [-o FILE] (PID | -- CMD [ARGS…])

Counts how often each block of the functions matching -m ran (FUNC or MODULE:FUNC globs of
fn probe names; all by default), with V8's block coverage, and prints one table per function,
the most called first: each block's lines, count and share of the function's calls, marked
hot (half of the calls or more) or cold (under 1%: what KernInst's outlining would move out).
With -- CMD, coverage starts in every Node.js process CMD starts before its program runs and
is taken when it exits: exact. With PID, mscope attaches as mscope attach does (same checks
and refusals; the inspector opened on 127.0.0.1 and closed once the agent is up), starts
coverage, recompiles the chosen functions already compiled by a live edit that moves no
position, so that their blocks are counted exactly too, and takes coverage at detach (^C or
-d). Each table says whether its counts are exact or possibly undercounted (a function V8
would not recompile: Node 26 has no live edit, and mscope makes none on Node 24).

  -m, --functions GLOB  functions to count (repeatable)
  -d, --duration SECS   take coverage after SECS seconds (from attach, or from CMD's start;
                        CMD is then ended with SIGTERM)
  -o, --output FILE     append the tables to FILE instead of stdout
`,
  list: `usage: mscope list [PATTERN] [-e PROGRAM | -s FILE]… [--skipped] [--modules GLOB]… [-- CMD [ARGS…]]

Runs CMD with the agent loaded and, when it exits, lists the probes that existed
(ID, PROVIDER, MODULE, FUNCTION, NAME) matching PATTERN, a probe description
such as fn:lib/*::entry, and the descriptions of the program given with -e/-s.
Without CMD, lists the probes every Node.js process has: providers and core modules.

  --skipped          list the files and functions that were not instrumented, and why
  --modules GLOB     which modules to instrument (repeatable)
`,
  bench: `usage: mscope bench [-n N] [-c CONF] [-m wall|cpu|rss | --metric REGEX] [--plot] [-f json]
                    [-e PROGRAM | -s FILE | --monitor FILE]… [-b BINDING] [-x OPT=VAL]… -- CMD [ARGS…]

Runs CMD N times plainly and N times under mscope run with the given program or monitors
(interleaved, after a warm-up round), and prints ministat's table of the two samples and its
verdict: "No difference proven at 95.0% confidence", or the difference with its confidence
interval (Student's t, pooled standard deviation). With no program, the traced runs link
nothing: the cost of the agent alone. ^C prints what was gathered.

  -n, --runs N         runs of each (default 10, at least 3)
  -c, --confidence C   80, 90, 95, 98, 99 or 99.5 (default 95)
  -m, --measure M      wall: wall time of the whole command (default); cpu: user + system
                       time of the command and its processes (traced: mscope's included);
                       rss: the largest peak RSS among the program's processes
  --metric REGEX       a number CMD prints on stdout instead (the first capture group)
  --warmup K           rounds run first and left out (default 1)
  --plot               draw both samples as ministat does
  -f, --format json    one JSON object: both samples, their summaries and the verdict
  -e, -s, --monitor, -b, -x, --arg, --modules
                       what the traced runs link, as for mscope run
`,
  demo: `usage: mscope demo
       mscope demo nic [--packets N]

Runs a small order service (examples/demo: an HTTP API and its client) under the example
D program examples/demo/demo.d and prints calls per function, the latency of placing an
order, why orders failed, HTTP requests by status and bytes written.

nic: the simulated NIC and its driver (examples/nic): the driver's telemetry bound by message
passing, relinked live to direct calls, then unlinked, with the same figures and the cost of
each; then an idle/steady/burst/idle workload under interrupt mode, polling mode and the
policy that switches between them, with latency p50/p99, CPU, drops and switches per phase.

  --packets N          packets of the steady phase (default 40000; the burst sends twice as many)
`,
  report: `usage: mscope report [--run ID | --runs] FILE

Prints, per activity token in an accounting store (mscope run --acct), the count,
p50/p95/p99 latency and the mean time and bytes by subsystem, for one run of the file.

  --run ID           the run to report (default: the latest one)
  --runs             list the runs in FILE: id, start, pids, activities, command
`,
  explore: `usage: mscope explore [--run ID] [--port N] [STORE]
       mscope explore [--port N] [--store FILE] [-e PROGRAM | -s FILE]… [--functions GLOB]… PID

Serves the Latency Explorer over one run of an accounting store (default: mscope.db, the
latest run) on 127.0.0.1 until ^C, and prints its URL. The page shows the latency
histogram, each activity's subsystem times in parallel coordinates, the selected
activities and how they differ from the rest; brush any of them to filter the others.
The URL carries a random token: requests without it, or for another host, are refused.

With PID, the page is live over a running Node.js process: mscope attaches to it as
mscope attach does (same checks and refusals), switches accounting on in it (each HTTP
server request from then on is an activity), and the page updates as activities arrive.
^C detaches: accounting is switched off and the process runs on as before; with --store
the records stay in FILE. If the process ends first, the page serves on until ^C.
The argument is a STORE when a file of that name exists, else a PID when it is all digits.

  --run ID           the run to explore (default: the latest one); STORE only
  --port N           the port to serve on (default: a free one)
  --store FILE       PID only: also append the activities to FILE, as mscope run --acct does
  -e, -s, --functions, -q, -b, -o …
                     PID only: as for mscope run --explore (a D program whose aggregations
                     the page shows; kperfmon's view of the functions matching GLOB)
`,
  links: `usage: mscope links PID

Lists the links of a process traced by mscope run or mscope attach (LINK, BINDING, EVENTS, DROPS, FAULTS,
DESCRIPTION), through its control socket, which only the same user can open.
`,
  relink: `usage: mscope relink PID LINK BINDING

Switches link LINK (an id from mscope links) of a traced process to BINDING (direct, shm
or message) while it runs: no restart, aggregations carry over, nothing is counted twice.
`,
  help: `usage: mscope help [COMMAND]
`,
};
