// A workload of many small calls, for `mscope bench`: fib(27) makes 635,621 calls.
function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
console.log(`fib(27) = ${fib(27)}`);
