/*
 * What the order service did: calls per function of its own modules, the latency of
 * placing an order, why orders failed, HTTP requests by status, file writes, and what each
 * request cost (accounting turns on by itself because the program uses acct probes).
 * Run with: mscope run -s demo.d -- node app.js   (or simply: mscope demo)
 */
BEGIN { printf("tracing the order service...\n"); }

fn:lib/*::entry { @calls[probemod, probefunc] = count(); }

fn::OrderService.placeOrder:entry { self->ts = timestamp; }

fn::OrderService.placeOrder:return /self->ts/ {
  @latency_us = quantize((timestamp - self->ts) / 1000);
  self->ts = 0;
}

fn::OrderService.placeOrder:error /self->ts/ {
  @failures[errmsg] = count();
  self->ts = 0;
}

http:server::request-done { @http[args[0].method, args[0].url, args[0].status] = count(); }

fs:appendFile::op-done { @fs_bytes["appendFile"] = sum(args[0].bytes); }

/* Every HTTP request is an activity: what each one cost, as mscope report shows it. */
acct:::done {
  @request_us[args[0].token] = quantize(args[0].latency_ns / 1000);
  @request_cpu_us[args[0].token] = avg(args[0].cpu_ns / 1000);
  @request_fs_bytes[args[0].token] = sum(args[0].fs_bytes);
}

END {
  printf("\ncalls per function:");
  printa(@calls);
  printf("\nplaceOrder latency (us):");
  printa(@latency_us);
  printf("\nfailed orders by reason:");
  printa(@failures);
  printf("\nHTTP requests (method, url, status):");
  printa(@http);
  printf("\nbytes written:");
  printa(@fs_bytes);
  printf("\nper request (accounting): latency (us), mean on-CPU time (us), fs bytes:");
  printa(@request_us);
  printa(@request_cpu_us);
  printa(@request_fs_bytes);
}
