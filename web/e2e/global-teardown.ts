// Stops the stack global-setup started (its whole process group), if it started one.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { STACK_FILE, type StackInfo } from './stack';

export default async function globalTeardown(): Promise<void> {
  if (!existsSync(STACK_FILE)) return;
  const info = JSON.parse(readFileSync(STACK_FILE, 'utf8')) as StackInfo;
  rmSync(STACK_FILE, { force: true });
  if (!info.pid) return;
  try {
    process.kill(-info.pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 30; i++) {
    await new Promise((r) => setTimeout(r, 500));
    try {
      process.kill(-info.pid, 0);
    } catch {
      return;
    }
  }
  try {
    process.kill(-info.pid, 'SIGKILL');
  } catch {
    // gone
  }
}
