import { spawn } from 'node:child_process';

/** The local providers in a child process (providers-main.ts): their channel environment, and how to stop them. */
export interface ProvidersProcess {
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startProvidersProcess(): Promise<ProvidersProcess> {
  const script = new URL('./providers-main.js', import.meta.url).pathname;
  const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => {
    child.on('exit', () => resolve());
  });
  const env = await new Promise<Record<string, string>>((resolve, reject) => {
    let out = '';
    child.on('error', reject);
    child.on('exit', (code) =>
      reject(new Error(`the providers process exited with code ${code ?? 'null'} before it was ready`)),
    );
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)) as Record<string, string>);
    });
  });
  return {
    env,
    async close() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
