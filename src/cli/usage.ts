/** Help texts; `mscope help COMMAND` and `COMMAND --help` print the matching entry. */
export const USAGE = `usage: mscope <command> [options]

commands:
  run    run a command with monitors linked to its probes
  list   list the probes of a command's processes
  demo   run an example program under an example monitor
  help   print help for a command

mscope help <command> prints that command's options.
`;

export const COMMAND_USAGE: Record<string, string> = {
  run: `usage: mscope run [--monitor FILE]… [-q] [-o FILE] [-b direct|shm|message] [--modules GLOB]… -- CMD [ARGS…]

Runs CMD with the microScope agent loaded into every Node.js process it starts, links the
monitors to their probes, prints what they report, and exits with CMD's status.

  --monitor FILE     a TypeScript or JavaScript monitor module (repeatable)
  -q, --quiet        print only the monitors' output and errors, no summary
  -o, --output FILE  write the monitors' output to FILE instead of stdout
  -b, --binding B    how monitors are bound to probes: direct, shm or message
  --modules GLOB     which modules to instrument (repeatable)
`,
  list: `usage: mscope list [PATTERN] [--skipped] [--modules GLOB]… -- CMD [ARGS…]

Runs CMD with the agent loaded and, when it exits, lists the probes that existed
(ID, PROVIDER, MODULE, FUNCTION, NAME) matching PATTERN, a probe description
such as fn:lib/*::entry.

  --skipped          list the functions that were not instrumented, and why
  --modules GLOB     which modules to instrument (repeatable)
`,
  demo: `usage: mscope demo

Runs a small order service (examples/demo) under an example monitor and prints the
count and latency of every function it called.
`,
  help: `usage: mscope help [COMMAND]
`,
};
