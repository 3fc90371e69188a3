import { defineModule } from '../../src/modules/define.js';

// The program every golden script traces: a small module with plain, throwing, async and
// object-taking functions, and a fixed workload so that the output is deterministic.
export const app = defineModule('app', {
  add(a: number, b: number): number {
    return a + b;
  },
  greet(name: string): string {
    return `hello ${name}`;
  },
  fail(message: string): never {
    const e = new Error(message) as Error & { errno: number };
    e.errno = 2;
    throw e;
  },
  async wait(n: number): Promise<number> {
    await new Promise((resolve) => setImmediate(resolve));
    return n * 2;
  },
  handle(req: object): number {
    return (req as { status: number }).status;
  },
});

class Request {
  url: string;
  method: string;
  status: number;
  headers: Record<string, string>;
  constructor(url: string, method: string, status: number) {
    this.url = url;
    this.method = method;
    this.status = status;
    this.headers = { host: 'example.com', 'content-type': 'text/html' };
  }
  /** Must never run: reading members from a script never invokes getters. */
  get secret(): string {
    throw new Error('getter invoked');
  }
}

export async function workload(): Promise<void> {
  for (let i = 0; i < 10; i++) app.add(i, i * 2);
  app.greet('world');
  app.greet('node');
  app.greet('world');
  try {
    app.fail('boom');
  } catch {
    // expected
  }
  // Three concurrent activities, each in its own async context.
  await Promise.all(
    [1, 2, 3].map(async (n) => {
      await null;
      return app.wait(n);
    }),
  );
  app.handle(new Request('/index.html', 'GET', 200));
  app.handle(new Request('/missing', 'GET', 404));
  app.handle(new Request('/api', 'POST', 201));
}
